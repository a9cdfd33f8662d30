namespace WeatherGinr.Cli.Experiments;

/// <summary>One of the paper's experiments, runnable at a quick (test) size or at full size.</summary>
public interface IExperiment
{
    /// <summary>The name on the command line, for example <c>fit</c>.</summary>
    string Name { get; }

    /// <summary>One line: what the experiment shows.</summary>
    string Description { get; }

    /// <summary>Runs synchronously (TorchSharp work); call it from <c>Task.Run</c>.</summary>
    ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken);
}
