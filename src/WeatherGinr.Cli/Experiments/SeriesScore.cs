using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// How a time-conditioned network did on one variable of a <see cref="HeldOutSeries"/>, in physical units,
/// each held-out set beside its plain baseline scored on exactly the same values.
/// </summary>
/// <param name="Variable">Variable name.</param>
/// <param name="Units">Its canonical units.</param>
/// <param name="Training">Training nodes at training steps, against the values fitted.</param>
/// <param name="HeldOutNodes">Held-out nodes at training steps.</param>
/// <param name="NodesBaseline">The mean of each held-out node's training neighbours at that step.</param>
/// <param name="HeldOutTimes">Training nodes at held-out steps.</param>
/// <param name="TimesBaseline">Each node's training values interpolated linearly in time.</param>
/// <param name="GridPoints">Held-out grid cells (removed before regridding) at training steps.</param>
/// <param name="GridBaseline">Barycentric interpolation of the training nodes of the cell's triangle.</param>
public sealed record SeriesScore(
    string Variable,
    string Units,
    FieldScore Training,
    FieldScore HeldOutNodes,
    FieldScore NodesBaseline,
    FieldScore HeldOutTimes,
    FieldScore TimesBaseline,
    FieldScore GridPoints,
    FieldScore GridBaseline);
