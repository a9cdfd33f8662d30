using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WeatherGinr.Training;

/// <summary>
/// The GINR multilayer perceptron of a <see cref="GinrArchitecture"/>, as in the reference code's
/// <c>MLP</c>: hidden layers <c>h = act(W h + b)</c>, the network input concatenated to the hidden state
/// before layer <c>ceil(L/2)</c>, a linear output layer.
/// </summary>
internal sealed class GinrNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers = new();
    private readonly Parameter? latents;
    private readonly GinrArchitecture architecture;

    public GinrNetwork(GinrArchitecture architecture, Device device) : base(nameof(GinrNetwork))
    {
        this.architecture = architecture;
        for (var index = 0; index < architecture.Layers; index++)
        {
            var (inputs, outputs) = architecture.LayerShape(index);
            layers.Add(nn.Linear(inputs, outputs, hasBias: true));
        }

        // Auto-decoder latents, one row per signal, N(0, 1) as the reference's nn.Embedding: the same scale as
        // the unit-RMS embedding columns they sit beside.
        if (architecture.HasLatents)
        {
            latents = new Parameter(randn(architecture.LatentSignals, architecture.ConditioningColumns));
        }

        RegisterComponents();
        if (architecture.Activation == GinrActivation.Sine)
        {
            InitialiseSiren();
        }

        this.to(device);
    }

    /// <summary>The latent table [signals, d] of an auto-decoder; null for a time-conditioned network.</summary>
    public Parameter? Latents => latents;

    public override Tensor forward(Tensor input)
    {
        var hidden = input;
        var last = architecture.Layers - 1;
        for (var index = 0; index < architecture.Layers; index++)
        {
            if (index == architecture.SkipLayerIndex)
            {
                hidden = cat([hidden, input], 1);
            }

            var layer = layers[index];
            if (index == last)
            {
                return layer.forward(hidden);
            }

            // ReLU in place on the fresh layer output: the same values, one [batch, width] tensor less per layer
            // (autograd keeps the output, which is all ReLU's backward needs).
            hidden = architecture.Activation == GinrActivation.Sine
                ? Siren(hidden, layer)
                : layer.forward(hidden).relu_();
        }

        throw new UnreachableException();
    }

    // SIREN layer: sin(w0 (W h + b)). addmm computes beta * b + alpha * (h W^T) in one kernel, so the
    // scaling by w0 costs nothing.
    private Tensor Siren(Tensor hidden, Linear layer)
    {
        var omega0 = (float)architecture.Omega0;
        using var preactivation = addmm(layer.bias!, hidden, layer.weight!.t(), beta: omega0, alpha: omega0);
        return preactivation.sin();
    }

    // SIREN initialisation (Sitzmann et al. 2020, sec. 3.2; the GINR reference initializers): first layer
    // W ~ U(-1/fan_in, 1/fan_in), later layers (the output layer too) W ~ U(-sqrt(6/fan_in)/w0, +...).
    // Biases keep torch's default U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as in the reference.
    private void InitialiseSiren()
    {
        using var noGrad = no_grad();
        for (var index = 0; index < layers.Count; index++)
        {
            var weight = layers[index].weight!;
            var fanIn = weight.shape[1];
            var bound = index == 0 ? 1.0 / fanIn : Math.Sqrt(6.0 / fanIn) / architecture.Omega0;
            nn.init.uniform_(weight, -bound, bound);
        }
    }
}
