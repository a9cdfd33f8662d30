using System.Globalization;

namespace WeatherGinr.Training;

/// <summary>
/// How <see cref="DifferentialSupervision"/> weighs the residual <c>r = L f_theta - g</c> of differential
/// supervision (g = L f, the only supervision), and whether a few values of f are known besides.
/// </summary>
/// <param name="PreconditionedModes">
/// m: the residual's components along the first m Laplacian eigenvectors u_j (the embedding's own columns)
/// are divided by <c>lambda_j / lambda_(m-1)</c>, a truncated inverse of L as preconditioner:
/// <c>loss = || P r ||^2 / n</c>, <c>P = I + sum_(0 &lt; j &lt; m) (lambda_(m-1) / lambda_j - 1) u_j u_j^T</c>.
/// Along those directions <c>u_j^T r = lambda_j (c_j(f_theta) - c_j(f))</c>, so the smooth part of f, which L
/// damps by its smallest eigenvalues, weighs as much as the rest instead of <c>(lambda_j / lambda_max)^2</c>
/// of it. Still only g is seen. 0 or 1: the pure loss <c>|| r ||^2 / n</c> of the paper.
/// </param>
/// <param name="AnchorNodes">
/// Nodes where the value of f itself is given (<b>value anchors</b>: extra supervision beyond L f, to be
/// reported as such); null or empty for none.
/// </param>
/// <param name="AnchorValues">f at <paramref name="AnchorNodes"/>, in the signal's units.</param>
/// <param name="AnchorWeight">
/// lambda in <c>loss += lambda mean_a ((f_theta(a) - mean f_theta) - (f(a) - mean f))^2</c> over the anchors,
/// both sides centred over the anchors (f is known from L f only up to a constant).
/// </param>
public sealed record DifferentialLoss(
    int PreconditionedModes = 0,
    IReadOnlyList<int>? AnchorNodes = null,
    IReadOnlyList<float>? AnchorValues = null,
    double AnchorWeight = 1.0)
{
    /// <summary>The paper's loss: <c>|| L f_theta - L f ||^2</c>, no preconditioner, no anchors.</summary>
    public static DifferentialLoss Pure { get; } = new();

    /// <summary>Number of value anchors.</summary>
    public int AnchorCount => AnchorNodes?.Count ?? 0;

    /// <summary>Checks the settings against the mesh and embedding; throws naming the first bad one.</summary>
    public void Validate(int nodeCount, int embeddingColumns, string? parameterName = null)
    {
        parameterName ??= "loss";
        if (PreconditionedModes < 0 || PreconditionedModes > embeddingColumns)
        {
            throw new ArgumentException(
                $"DifferentialLoss.PreconditionedModes is {PreconditionedModes}; it must be between 0 and the " +
                $"{embeddingColumns} embedding columns (the eigenvectors it preconditions).", parameterName);
        }

        if (!double.IsFinite(AnchorWeight) || AnchorWeight < 0)
        {
            throw new ArgumentException($"DifferentialLoss.AnchorWeight is {AnchorWeight}; it must be 0 or more.",
                parameterName);
        }

        if (AnchorCount != (AnchorValues?.Count ?? 0))
        {
            throw new ArgumentException(
                $"DifferentialLoss has {AnchorCount} anchor nodes but {AnchorValues?.Count ?? 0} anchor values.",
                parameterName);
        }

        if (AnchorCount == 1)
        {
            throw new ArgumentException(
                "DifferentialLoss has one anchor; anchors are centred (f is known only up to a constant), so at " +
                "least two are needed, or none.", parameterName);
        }

        for (var index = 0; index < AnchorCount; index++)
        {
            var node = AnchorNodes![index];
            if ((uint)node >= (uint)nodeCount || !float.IsFinite(AnchorValues![index]))
            {
                throw new ArgumentException(
                    $"DifferentialLoss anchor {index} is node {node} with value {AnchorValues![index]}; nodes run " +
                    $"from 0 to {nodeCount - 1} and values must be finite.", parameterName);
            }
        }
    }

    /// <summary>"pure", "preconditioned (m = 64)", "pure + 16 value anchors", ...</summary>
    public override string ToString()
    {
        var name = PreconditionedModes > 1
            ? string.Create(CultureInfo.InvariantCulture, $"preconditioned (m = {PreconditionedModes})")
            : "pure";
        return AnchorCount > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{name} + {AnchorCount} value anchors")
            : name;
    }
}
