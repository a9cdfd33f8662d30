using WeatherGinr.Host.Http;

namespace WeatherGinr.Host.Tests.Http;

public sealed class LargeAnswerGateTests : IDisposable
{
    private readonly LargeAnswerGate gate = new();

    public void Dispose() => gate.Dispose();

    [Fact]
    public async Task ASecondLargeAnswerWaitsForTheFirstWhileSmallOnesPass()
    {
        var first = await gate.EnterAsync(LargeAnswerGate.LargePoints + 1, CancellationToken.None);
        var second = gate.EnterAsync(4_000_000, CancellationToken.None);
        var small = gate.EnterAsync(LargeAnswerGate.LargePoints, CancellationToken.None);

        Assert.True(small.IsCompletedSuccessfully, "an answer at the threshold does not queue");
        await Task.Delay(100);
        Assert.False(second.IsCompleted, "the second large answer started while the first was being made");

        first.Dispose();
        first.Dispose(); // a second dispose gives back nothing more
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        var third = gate.EnterAsync(LargeAnswerGate.LargePoints + 1, CancellationToken.None);
        var fourth = gate.EnterAsync(LargeAnswerGate.LargePoints + 1, CancellationToken.None);
        Assert.True(third.IsCompletedSuccessfully);
        Assert.False(fourth.IsCompleted, "one turn was given back twice");
        (await third).Dispose();
        (await fourth.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task AClientThatLeavesWhileWaitingTakesNoTurn()
    {
        using var leaving = new CancellationTokenSource();
        var first = await gate.EnterAsync(LargeAnswerGate.LargePoints + 1, CancellationToken.None);
        var waiting = gate.EnterAsync(LargeAnswerGate.LargePoints + 1, leaving.Token);

        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();
        var next = gate.EnterAsync(LargeAnswerGate.LargePoints + 1, CancellationToken.None);
        Assert.True(next.IsCompletedSuccessfully, "the cancelled wait kept a turn");
        (await next).Dispose();
    }

    [Fact]
    public async Task MemoryIsHandedBackOnceAfterLargeAnswersAndNotWhileOneIsBeingMade()
    {
        LargeAnswerGate.CompactionDelay = TimeSpan.FromMilliseconds(50);
        var making = await gate.EnterAsync(LargeAnswerGate.LargePoints + 1, CancellationToken.None);

        gate.AnswerSent(); // another answer was sent while this one is being made: not now
        await Task.Delay(400);
        Assert.Equal(0, gate.Compactions);

        making.Dispose();
        gate.AnswerSent();
        gate.AnswerSent(); // two answers sent together: one compaction serves both
        await WaitFor(() => gate.Compactions > 0);
        await Task.Delay(400);
        Assert.Equal(1, gate.Compactions);

        gate.AnswerSent();
        await WaitFor(() => gate.Compactions > 1);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "no compaction within 30 s");
            await Task.Delay(20);
        }
    }
}
