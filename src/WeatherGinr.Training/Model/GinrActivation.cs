namespace WeatherGinr.Training;

/// <summary>Activation of the hidden layers of a <see cref="GinrArchitecture"/>.</summary>
public enum GinrActivation
{
    /// <summary>SIREN: <c>sin(w0 * (W x + b))</c> on every hidden layer (Sitzmann et al. 2020).</summary>
    Sine,

    /// <summary>Rectified linear unit, the paper's weather configuration.</summary>
    Relu,
}
