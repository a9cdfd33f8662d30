using Cronos;
using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Ingest;

/// <inheritdoc cref="IIngestionScheduleGrain"/>
/// <remarks>
/// The reminder ticks once a minute (the resolution of a 5-field cron expression, and Orleans' minimum
/// reminder period); each tick calls <see cref="RunDue"/> with the current time. Whether a scan is due
/// is decided only from the stored last-checked time, so a tick that comes late, twice, or after the
/// silo was down still scans at most once and never skips a due occurrence.
/// </remarks>
public sealed partial class IngestionScheduleGrain(
    [PersistentState("ingestionSchedule")] IPersistentState<IngestionScheduleState> state,
    DataFolder dataFolder,
    ILogger<IngestionScheduleGrain> logger) : Grain, IIngestionScheduleGrain, IRemindable
{
    internal const string ReminderName = "ingestion-schedule";

    private static readonly TimeSpan TickPeriod = TimeSpan.FromMinutes(1);

    private string Dataset => this.GetPrimaryKeyString();

    public async Task<IngestionScheduleStatus> Configure(IngestionScheduleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        DataFolder.SafeName(Dataset, "dataset");
        ParseCron(request.CronExpression);
        var source = IngestSources.Open(request.Source);
        if (source is DropFolderSource drop && !Directory.Exists(drop.Folder))
        {
            throw new ArgumentException($"drop folder '{drop.Folder}' does not exist on this silo", nameof(request));
        }

        if (source is DropFolderSource dropFolder && dataFolder.OwnFolderHolding(dropFolder.Folder) is { } own)
        {
            throw new ArgumentException($"drop folder '{dropFolder.Folder}' lies in '{own}', which holds the " +
                "product's own files; a scan would take them for input and move them aside", nameof(request));
        }

        var now = DateTimeOffset.UtcNow;
        state.State = state.State with
        {
            Enabled = true,
            Source = source.Location,
            CronExpression = request.CronExpression,
            LastCheckedUtc = now,
        };
        await state.WriteStateAsync();

        // First tick at the next whole minute, so ticks line up with the minutes cron speaks in.
        var dueTime = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        await this.RegisterOrUpdateReminder(ReminderName, dueTime, TickPeriod);
        LogScheduleConfigured(logger, Dataset, source.Location, request.CronExpression);
        return await GetStatus();
    }

    public async Task<IngestionScheduleStatus> Disable()
    {
        state.State = state.State with { Enabled = false };
        await state.WriteStateAsync();
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        LogScheduleDisabled(logger, Dataset);
        return await GetStatus();
    }

    public async Task<IngestionScheduleStatus> GetStatus()
    {
        var current = state.State;
        var reminder = await this.GetReminder(ReminderName);
        return new IngestionScheduleStatus(Dataset, current.Enabled, current.Source, current.CronExpression,
            current.LastCheckedUtc, current.Enabled ? NextOccurrence(current) : null, reminder is not null,
            current.LastScan);
    }

    public async Task<IngestScanReport?> RunDue(DateTimeOffset nowUtc)
    {
        var current = state.State;
        if (!current.Enabled || current.LastCheckedUtc is not { } lastChecked || nowUtc <= lastChecked)
        {
            return null;
        }

        // Due when an occurrence lies in (last check, now]; several missed ones make one scan.
        if (NextOccurrence(current) is not { } due || due > nowUtc)
        {
            return null;
        }

        LogScanDue(logger, Dataset, due);
        var report = await IngestScan.RunAsync(IngestSources.Open(current.Source!), GrainFactory, Dataset,
            Path.Combine(dataFolder.Root, "staging", Dataset), logger);
        state.State = current with { LastCheckedUtc = nowUtc, LastScan = report };
        await state.WriteStateAsync();
        return report;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (!state.State.Enabled)
        {
            // A reminder that outlived its schedule (Disable raced a tick): stop it.
            if (await this.GetReminder(ReminderName) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        await RunDue(DateTimeOffset.UtcNow);
    }

    private static DateTimeOffset? NextOccurrence(IngestionScheduleState schedule) =>
        schedule.CronExpression is null || schedule.LastCheckedUtc is not { } lastChecked
            ? null
            : ParseCron(schedule.CronExpression).GetNextOccurrence(lastChecked, TimeZoneInfo.Utc, inclusive: false);

    /// <summary>A standard 5-field expression: minute hour day-of-month month day-of-week (UTC).</summary>
    private static CronExpression ParseCron(string? expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        try
        {
            return CronExpression.Parse(expression, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            // No inner exception: Cronos' exception type has no Orleans codec, and its message is kept here.
            throw new ArgumentException($"cron expression '{expression}' is not a valid 5-field expression " +
                $"(minute hour day-of-month month day-of-week, e.g. '*/15 * * * *'): {e.Message}",
                nameof(expression));
        }
    }
}
