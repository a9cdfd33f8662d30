using System.Diagnostics;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Tests.Cluster;

namespace WeatherGinr.Grains.Tests.Ingest;

/// <summary>
/// The schedule grain on the two-silo test cluster: its reminder, and whether a tick at a given time
/// scans, driven through <see cref="IIngestionScheduleGrain.RunDue"/> instead of waiting for real minutes;
/// one test waits (at most 90 s) for the real reminder to fire and scan.
/// </summary>
[Collection(WeatherGinrClusterCollection.Name)]
public sealed class IngestionScheduleGrainTests(WeatherGinrClusterFixture fixture) : IDisposable
{
    private readonly DropFolder drop = new();

    public void Dispose() => drop.Dispose();

    [Fact]
    public async Task ATickScansOnlyWhenACronOccurrenceHasPassedSinceTheLastCheck()
    {
        var dataset = "sched-" + Guid.NewGuid().ToString("N")[..12];
        var schedule = fixture.Grains.GetGrain<IIngestionScheduleGrain>(dataset);
        drop.Add("uas_rectilinear_grid_2D.nc");

        var status = await schedule.Configure(new IngestionScheduleRequest(drop.Folder, "30 3 * * *"));

        // Daily at 03:30 UTC: the next occurrence after configuring is the first 03:30 to come.
        Assert.True(status.Enabled);
        Assert.True(status.ReminderRegistered);
        var due = status.NextDueUtc!.Value;
        Assert.Equal((3, 30, 0), (due.UtcDateTime.Hour, due.UtcDateTime.Minute, due.UtcDateTime.Second));
        Assert.InRange(due - status.LastCheckedUtc!.Value, TimeSpan.Zero, TimeSpan.FromDays(1));

        // A minute before: nothing. At the occurrence: one scan. The same instant again: nothing.
        Assert.Null(await schedule.RunDue(due.AddMinutes(-1)));
        var scan = await schedule.RunDue(due);
        Assert.NotNull(scan);
        Assert.Equal(["uas"], scan.Added.SelectMany(f => f.Variables));
        Assert.Null(await schedule.RunDue(due));
        Assert.Null(await schedule.RunDue(due.AddHours(23)));

        // Two days of missed ticks make one scan, which finds nothing new: the dataset stays at version 1.
        var late = await schedule.RunDue(due.AddDays(2).AddMinutes(5));
        Assert.NotNull(late);
        Assert.Equal((IngestOutcome.Succeeded, 0, 1, 1),
            (late.Outcome, late.Added.Count, late.Unchanged.Count, late.DatasetVersion));

        var after = await schedule.GetStatus();
        Assert.Equal(due.AddDays(2).AddMinutes(5), after.LastCheckedUtc);
        Assert.Equal(due.AddDays(3), after.NextDueUtc);
        Assert.Equal((late.StartedAtUtc, 1), (after.LastScan!.StartedAtUtc, after.LastScan.Unchanged.Count));
    }

    /// <summary>
    /// No call to RunDue: the Orleans reminder itself (in-memory reminder service of the test cluster) ticks
    /// at the next whole minute, sees the every-minute occurrence that passed, and scans the folder. The wait
    /// is bounded (the first tick comes within 60 s of configuring); the test asserts what happened, not when.
    /// </summary>
    [Fact]
    public async Task TheRealReminderTickIngestsADroppedFileWithoutADirectCall()
    {
        var dataset = "sched-tick-" + Guid.NewGuid().ToString("N")[..12];
        var schedule = fixture.Grains.GetGrain<IIngestionScheduleGrain>(dataset);
        var configured = await schedule.Configure(new IngestionScheduleRequest(drop.Folder, "* * * * *"));
        Assert.True(configured.ReminderRegistered);

        // Dropped after configuring: only a scan that runs later can find it.
        drop.Add("tas_rectilinear_grid_2D.nc");
        var status = configured;
        for (var clock = Stopwatch.StartNew(); status.LastScan is null && clock.Elapsed < ReminderWait;)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            status = await schedule.GetStatus();
        }

        Assert.True(status.LastScan is not null,
            $"no reminder tick scanned '{drop.Folder}' within {ReminderWait.TotalSeconds} s");
        Assert.Equal(IngestOutcome.Succeeded, status.LastScan.Outcome);
        Assert.Equal(["tas"], status.LastScan.Added.SelectMany(f => f.Variables));
        var summary = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        Assert.Equal((1, 1), (summary.Version, summary.Files.Count));
        Assert.True(status.LastCheckedUtc > configured.LastCheckedUtc, "the tick recorded its check");
        await schedule.Disable();
    }

    /// <summary>The first tick is due at the next whole minute; 90 s leaves room for a slow, shared machine.</summary>
    private static readonly TimeSpan ReminderWait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DisablingUnregistersTheReminderAndStopsScans()
    {
        var schedule = fixture.Grains.GetGrain<IIngestionScheduleGrain>("sched-" + Guid.NewGuid().ToString("N")[..12]);
        var status = await schedule.Configure(new IngestionScheduleRequest(drop.Folder, "*/15 * * * *"));
        Assert.Equal(0, status.NextDueUtc!.Value.Minute % 15);

        var disabled = await schedule.Disable();

        Assert.False(disabled.Enabled);
        Assert.False(disabled.ReminderRegistered);
        Assert.Null(await schedule.RunDue(status.NextDueUtc.Value.AddDays(1)));
    }

    [Theory]
    [InlineData("61 * * * *", "'61 * * * *'")]
    [InlineData("* * * *", "5-field")]
    [InlineData("every hour", "'every hour'")]
    public async Task ABadCronExpressionIsRefusedByName(string expression, string expected)
    {
        var schedule = fixture.Grains.GetGrain<IIngestionScheduleGrain>("sched-bad-cron");

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            schedule.Configure(new IngestionScheduleRequest(drop.Folder, expression)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False((await schedule.GetStatus()).ReminderRegistered);
    }

    [Fact]
    public async Task AMissingDropFolderIsRefusedByName()
    {
        var missing = Path.Combine(drop.Folder, "nowhere");
        var schedule = fixture.Grains.GetGrain<IIngestionScheduleGrain>("sched-missing-folder");

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            schedule.Configure(new IngestionScheduleRequest(missing, "0 * * * *")));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
