using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using WeatherGinr.Grains;
using WeatherGinr.Host.Http;
using WeatherGinr.Training;

namespace WeatherGinr.Host;

/// <summary>
/// Builds the WeatherGinr process: an Orleans silo and, beside it, the HTTP API. The embedded default
/// is one silo with localhost clustering and in-memory providers, so one process runs everything.
/// </summary>
public static class WeatherGinrHost
{
    public static WebApplication Build(WeatherGinrHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataRoot);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        WrapConsole(builder.Services, console => new FrameworkNoiseFilter(console));
        builder.Logging.SetMinimumLevel(options.ConsoleLogLevel);

        // Orleans and ASP.NET Core speak up only when something is wrong; Orleans' start-up advice to turn on
        // server GC, which this process declines on purpose, and its watchdog's report of a stall longer than the
        // process has lived are dropped (FrameworkNoiseFilter says why).
        var frameworkLevel = options.ConsoleLogLevel > LogLevel.Warning ? options.ConsoleLogLevel : LogLevel.Warning;
        builder.Logging.AddFilter("Orleans", frameworkLevel);
        builder.Logging.AddFilter("Microsoft", frameworkLevel);
        builder.Logging.AddFilter("Polly", frameworkLevel); // Orleans' retry pipelines log every call at Information
        builder.WebHost.UseUrls(options.ServeHttp ? options.HttpUrl : "http://127.0.0.1:0");

        builder.UseOrleans(silo =>
        {
            // Embedded: free loopback ports, so several processes (tests, a demo beside a server) coexist, each its
            // own cluster: a cluster id of its own too, so that a run an earlier process left unfinished in the
            // shared data folder is not taken for one still going on in this cluster (TrainingRunGrain).
            silo.UseLocalhostClustering(siloPort: FreeLoopbackPort(), gatewayPort: FreeLoopbackPort(),
                clusterId: $"weatherginr-embedded-{Guid.NewGuid():N}");
            silo.Configure<SiloMessagingOptions>(m =>
            {
                m.ResponseTimeout = options.GrainCallTimeout;
                m.SystemResponseTimeout = options.GrainCallTimeout;
            });
            silo.AddMemoryGrainStorageAsDefault();
            silo.UseInMemoryReminderService();
            silo.AddWeatherGinrGrains(options.DataRoot, hasAccelerator: TorchRuntime.IsCudaAvailable());
        });

        builder.Services.AddSingleton(options);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling =
            System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        var app = builder.Build();

        // Routing's own answers (an unknown path, a method a path does not take) have no body; give them the
        // API's error shape. Answers our endpoints give with a body are left as they are.
        var answers = HttpExportFolder.Of(options.DataRoot);
        var abandoned = HttpExportFolder.RemoveAbandoned(options.DataRoot, DateTime.UtcNow);
        if (abandoned > 0)
        {
            HttpExportFolder.LogAbandonedRemoved(app.Logger, abandoned, answers);
        }

        // An exception no endpoint expected is still a 500 in the error shape, logged with its stack by the handler;
        // storage failures the endpoints expect are answered by them, with a message and no stack.
        app.UseExceptionHandler(
            new ExceptionHandlerOptions { ExceptionHandler = StatusCodeBodies.WriteUnexpectedAsync });
        app.UseStatusCodePages(context => StatusCodeBodies.WriteAsync(context.HttpContext));
        app.MapWeatherGinrApi();
        return app;
    }

    /// <summary>Registers the console logger provider as the inner provider of <paramref name="wrap"/>.</summary>
    private static void WrapConsole(IServiceCollection services, Func<ILoggerProvider, ILoggerProvider> wrap)
    {
        var console = services.Single(d =>
            d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        services.Remove(console);
        services.AddSingleton(provider => wrap(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(provider)));
    }

    /// <summary>A TCP port nothing listens on right now (the operating system's choice).</summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The address the HTTP API actually listens on (resolves port 0).</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var address = addresses?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the HTTP server reports no listening address");
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }
}
