using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace WeatherGinr.Grains.Placement;

/// <summary>
/// Silo metadata keys a WeatherGinr silo announces. A silo started on a machine with a CUDA device
/// announces <c>weatherginr.accelerator=cuda</c>; silos may also opt out of training entirely.
/// </summary>
public static class SiloCapabilities
{
    public const string AcceleratorKey = "weatherginr.accelerator";
    public const string TrainsKey = "weatherginr.trains";
}

/// <summary>
/// Places training workers on silos with an accelerator where there are any; otherwise on any silo
/// that accepts training (CPU fallback); otherwise anywhere, so a job is never stranded.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AcceleratorPreferredPlacementAttribute()
    : PlacementFilterAttribute(new AcceleratorPreferredPlacementStrategy());

public sealed class AcceleratorPreferredPlacementStrategy : PlacementFilterStrategy
{
    public AcceleratorPreferredPlacementStrategy()
        : base(order: 0)
    {
    }
}

internal sealed class AcceleratorPreferredPlacementDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target,
        IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToList();
        var trainers = candidates.Where(s => Value(s, SiloCapabilities.TrainsKey) != "false").ToList();
        var withAccelerator = trainers.Where(s => Value(s, SiloCapabilities.AcceleratorKey) is "cuda").ToList();
        return withAccelerator.Count > 0 ? withAccelerator : trainers.Count > 0 ? trainers : candidates;
    }

    private string? Value(SiloAddress silo, string key) =>
        metadata.GetSiloMetadata(silo)?.Metadata.GetValueOrDefault(key);
}
