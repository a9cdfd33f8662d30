namespace WeatherGinr.Training;

/// <summary>How well predictions match one variable's values, in its physical units.</summary>
/// <param name="Variable">Variable name.</param>
/// <param name="Count">Values scored (NaN truths are skipped).</param>
/// <param name="RSquared">1 - SSE / SST, SST about the mean of the scored truths.</param>
/// <param name="Rmse">Root-mean-square error.</param>
/// <param name="Mae">Mean absolute error.</param>
public sealed record FieldScore(string Variable, long Count, double RSquared, double Rmse, double Mae);
