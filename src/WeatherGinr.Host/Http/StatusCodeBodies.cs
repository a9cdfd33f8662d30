using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace WeatherGinr.Host.Http;

/// <summary>
/// Bodies for the errors that routing answers before any endpoint of ours runs: an unknown path (404) and a
/// known path with a method it does not take (405). Both get the API's one error shape,
/// <c>{"error": "...", "errors": ["..."]}</c>, instead of an empty body.
/// </summary>
internal static class StatusCodeBodies
{
    /// <summary>Writes the error body for the response's status code (the status-code-pages handler).</summary>
    internal static Task WriteAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (method, path) = (http.Request.Method, http.Request.Path.Value ?? "/");
        var problem = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound =>
                $"nothing is served at {path}; the API answers /health/live, /health/ready and /v1/models/...",
            StatusCodes.Status405MethodNotAllowed =>
                $"{method} is not allowed on {path}; it takes {AllowedMethods(http.Response)}",
            var status => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase
                ? $"{status} {phrase}"
                : $"status {status}",
        };
        return http.Response.WriteAsJsonAsync(QueryApi.ErrorBody([problem]));
    }

    /// <summary>
    /// The body of a 500 for an exception no endpoint expected (the exception handler's delegate): the API's error
    /// shape instead of an empty body. The exception handler has logged it with its stack; the body names only its
    /// type, since its message and stack are for whoever runs the server, not for every client.
    /// </summary>
    internal static Task WriteUnexpectedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var problem = $"the server failed to answer {http.Request.Method} {http.Request.Path.Value}: an unexpected " +
            $"{error?.GetType().Name ?? "error"}; the server's log has the details";
        return http.Response.WriteAsJsonAsync(QueryApi.ErrorBody([problem]));
    }

    private static string AllowedMethods(HttpResponse response) =>
        response.Headers.Allow.Count > 0 ? string.Join(", ", response.Headers.Allow.ToArray()) : "other methods";
}
