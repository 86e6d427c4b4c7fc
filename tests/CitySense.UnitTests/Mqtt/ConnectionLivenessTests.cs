using CitySense.Ingest.Mqtt;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Mqtt;

public sealed class ConnectionLivenessTests
{
    private readonly ManualStopwatch _clock = new();

    private void Advance(TimeSpan by) => _clock.Advance(by);

    [Fact]
    public void A_connection_that_keeps_receiving_is_alive_however_long_its_pings_go_unanswered()
    {
        var liveness = new ConnectionLiveness(_clock.Now);
        liveness.Connected();
        for (var i = 0; i < 100; i++)
        {
            // A backlog at the broker: messages flow, the PINGRESP queued behind them never comes within the test.
            Advance(TimeSpan.FromSeconds(10));
            liveness.Heard();
            Assert.False(liveness.IsSilent());
        }
    }

    [Fact]
    public void A_connection_silent_for_the_whole_allowance_is_dead()
    {
        var liveness = new ConnectionLiveness(_clock.Now);
        liveness.Connected();

        Advance(ConnectionLiveness.SilentAfter - TimeSpan.FromSeconds(1));
        Assert.False(liveness.IsSilent());
        Advance(TimeSpan.FromSeconds(1));
        Assert.True(liveness.IsSilent());

        liveness.Heard();
        Assert.False(liveness.IsSilent());
    }

    [Fact]
    public void Pings_fall_due_more_often_than_the_keep_alive_so_the_client_library_never_pings_itself()
    {
        Assert.True(ConnectionLiveness.PingEvery < ConnectionLiveness.KeepAlive);
        var liveness = new ConnectionLiveness(_clock.Now);
        liveness.Connected();

        Assert.False(liveness.PingDue());
        Advance(ConnectionLiveness.PingEvery);
        Assert.True(liveness.PingDue());
        Assert.False(liveness.PingDue());
    }
}
