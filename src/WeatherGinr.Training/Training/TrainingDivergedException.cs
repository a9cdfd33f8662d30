namespace WeatherGinr.Training;

/// <summary>
/// The loss stopped being a finite number: the settings (most often the learning rate) or extreme samples, not a
/// fault of the program. The message says what to change.
/// </summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);
