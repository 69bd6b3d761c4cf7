using Focus.Analyzer.Pipeline;

namespace Focus.UnitTests.Pipeline;

/// <summary>
/// Issue 13: heavy pipelines (no core computes them in real time) never hold every compute slot, so a job that keeps
/// real time always finds one.
/// </summary>
public sealed class ComputeGateTests
{
    [Fact]
    public async Task Heavy_pipelines_leave_a_slot_to_light_ones()
    {
        using var gate = new ComputeGate(2);
        var firstHeavy = await gate.EnterAsync(CancellationToken.None, heavy: true);
        var secondHeavy = gate.EnterAsync(CancellationToken.None, heavy: true).AsTask();
        Assert.False(secondHeavy.IsCompleted); // the one heavy place is taken

        var light = gate.EnterAsync(CancellationToken.None).AsTask();
        Assert.True(light.IsCompletedSuccessfully); // the slot kept aside
        (await light).Dispose();

        firstHeavy.Dispose();
        (await secondHeavy.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task A_heavy_pipeline_waiting_for_a_slot_gives_its_place_back_when_cancelled()
    {
        using var gate = new ComputeGate(2);
        var lights = new[] { await gate.EnterAsync(CancellationToken.None), await gate.EnterAsync(CancellationToken.None) };
        using var cancel = new CancellationTokenSource();
        var heavy = gate.EnterAsync(cancel.Token, heavy: true).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => heavy);
        foreach (var slot in lights) slot.Dispose();

        (await gate.EnterAsync(CancellationToken.None, heavy: true).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task On_one_core_a_heavy_pipeline_takes_its_turn_like_any_other()
    {
        using var gate = new ComputeGate(1);
        (await gate.EnterAsync(CancellationToken.None, heavy: true).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        (await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Theory]
    [InlineData(2222, 65536, 2000, 15, true)]  // the largest admitted MULTICHANNEL: 1.9e10 channel-samples/s
    [InlineData(50, 1024, 2000, 20, false)]    // the contract's example: 5.1e6
    [InlineData(999, 65536, 2000, 20, true)]
    public void A_pipeline_is_heavy_when_no_core_computes_it_in_real_time(int channels, int nfft, double prr, int hop, bool heavy) =>
        Assert.Equal(heavy, ComputeGate.IsHeavy((double)channels * nfft * prr / hop));
}
