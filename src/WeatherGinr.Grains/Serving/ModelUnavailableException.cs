namespace WeatherGinr.Grains.Serving;

/// <summary>
/// A model that cannot be served because a file of the data folder it needs is missing, damaged, or cannot be
/// read or written: its descriptor, checkpoint or coverage file, the embedding cache, the folder grid answers are
/// written to. The server's fault, not the request's; the message names the file and what is wrong with it.
/// </summary>
/// <remarks>
/// Serialisable, so that it crosses a grain call with its message intact: the HTTP API answers it as a 500 in its
/// error shape, and the model grain has logged it once, without a stack, since the stack says nothing here.
/// </remarks>
[GenerateSerializer, Alias("wginr.ModelUnavailableException")]
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException()
    {
    }

    public ModelUnavailableException(string message)
        : base(message)
    {
    }

    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
