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
}
