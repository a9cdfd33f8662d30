using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WeatherGinr.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter 2019) with PyTorch's update order, written out so that its state (the two
/// moment estimates and the step count) goes into our checkpoint file exactly and a resumed run continues
/// bit for bit. Per parameter p with gradient g at step t:
/// <code>
/// p &lt;- p (1 - lr wd)
/// m &lt;- b1 m + (1 - b1) g            v &lt;- b2 v + (1 - b2) g^2
/// p &lt;- p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
/// </code>
/// </summary>
internal sealed class AdamWOptimiser : IDisposable
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-8;

    private readonly Parameter[] parameters;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;

    public AdamWOptimiser(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        this.parameters = parameters.ToArray();
        firstMoments = this.parameters.Select(parameter => zeros_like(parameter).DetachFromDisposeScope()).ToArray();
        secondMoments = this.parameters.Select(parameter => zeros_like(parameter).DetachFromDisposeScope()).ToArray();
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    public double LearningRate { get; set; }

    public double WeightDecay { get; }

    /// <summary>Steps taken, t in the bias corrections.</summary>
    public long StepCount { get; private set; }

    public int ParameterCount => parameters.Length;

    public void ZeroGradients()
    {
        foreach (var parameter in parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        StepCount++;
        var firstCorrection = 1.0 - Math.Pow(Beta1, StepCount);
        var secondCorrectionRoot = Math.Sqrt(1.0 - Math.Pow(Beta2, StepCount));
        var stepSize = LearningRate / firstCorrection;

        for (var index = 0; index < parameters.Length; index++)
        {
            var parameter = parameters[index];
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }

            parameter.mul_(1.0 - (LearningRate * WeightDecay));
            firstMoments[index].mul_(Beta1).add_(gradient, alpha: 1.0 - Beta1);
            secondMoments[index].mul_(Beta2).addcmul_(gradient, gradient, value: 1.0 - Beta2);
            var denominator = secondMoments[index].sqrt().div_(secondCorrectionRoot).add_(Epsilon);
            parameter.addcdiv_(firstMoments[index], denominator, value: -stepSize);
        }
    }

    /// <summary>First and second moments, in parameter order: 2 x ParameterCount arrays.</summary>
    public float[][] ExportMoments() =>
        firstMoments.Concat(secondMoments).Select(GinrModel.ToArray).ToArray();

    public void ImportMoments(IReadOnlyList<float[]> moments, long stepCount)
    {
        Debug.Assert(moments.Count == 2 * parameters.Length, "two moments per parameter");
        using var noGrad = no_grad();
        for (var index = 0; index < parameters.Length; index++)
        {
            using var first = tensor(moments[index], parameters[index].shape);
            using var second = tensor(moments[parameters.Length + index], parameters[index].shape);
            firstMoments[index].copy_(first);
            secondMoments[index].copy_(second);
        }

        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (var moment in firstMoments.Concat(secondMoments))
        {
            moment.Dispose();
        }
    }
}
