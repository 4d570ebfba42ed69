using System.Net.WebSockets;
using Gstd.Gateway;
using Gstd.Gateway.Http;
using Gstd.Gateway.Realtime;
using Gstd.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gstd.UnitTests.Realtime;

/// <summary>A socket whose client stops reading: its queue fills and it is closed, rather than the silo holding frames without end.</summary>
public sealed class SlowConsumerTests
{
    [Fact]
    public async Task A_client_that_stops_reading_is_closed_with_1008_slow_consumer_once_its_queue_is_full()
    {
        var socket = new StalledWebSocket();
        var grains = UnreachableGrains.Create();
        var options = Options.Create(new GatewayOptions());
        var session = new SocketSession(socket, new Principal("acc_1", "key_1", KeyScope.Full, AccountRoles.Client, null), grains,
            new TopicHub(new FakeTopicSource(), TimeProvider.System, NullLogger<TopicHub>.Instance), new SocketRegistry(options), new RequestBudget(options), TimeSpan.FromMinutes(1),
            NullLogger<SocketSession>.Instance);
        var run = session.RunAsync(CancellationToken.None, CancellationToken.None);
        // The challenge is on its way out and will never arrive: from here on every frame waits in the queue.
        await socket.Sending.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var frame = WireJson.Frame(new { type = "ping" });
        for (var i = 0; i < 1024; i++)
        {
            session.Send(frame);
        }

        Assert.False(run.IsCompleted, "a full queue is not yet an overflow");
        session.Send(frame);
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "slow_consumer"), (socket.CloseStatus, socket.CloseStatusDescription));
    }

    /// <summary>Accepts the first frame and then never finishes sending, as a peer that stopped reading does; records the close.</summary>
    private sealed class StalledWebSocket : WebSocket
    {
        private WebSocketState _state = WebSocketState.Open;
        private WebSocketCloseStatus? _closeStatus;
        private string? _closeDescription;

        public override WebSocketCloseStatus? CloseStatus => _closeStatus;

        public override string? CloseStatusDescription => _closeDescription;

        public override WebSocketState State => _state;

        public override string? SubProtocol => null;

        public TaskCompletionSource Sending { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Sending.TrySetResult();
            return Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            (_closeStatus, _closeDescription, _state) = (closeStatus, statusDescription, WebSocketState.CloseSent);
            return Task.CompletedTask;
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override void Abort() => _state = WebSocketState.Aborted;

        public override void Dispose()
        {
        }
    }
}
