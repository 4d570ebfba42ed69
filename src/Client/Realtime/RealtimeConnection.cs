using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Gstd.Client.Realtime;

/// <summary>
/// A realtime connection that survives network cuts and silo restarts: it reconnects with exponential backoff
/// and jitter (0.5 s to 30 s, to the next server each time), resubscribes every topic from the last offset the
/// application received, and hands each event over once and in order (<see cref="Events"/>). When the server
/// cannot replay what was missed, the topic is written to <see cref="Resyncs"/>: re-read its state over HTTP.
/// A silent connection (no frame, not even the server's 15-second ping, for 45 s) is treated as dead.
/// A worker agent binds each new connection in <paramref name="connected"/> (it signs the server's challenge
/// nonce), reads its offers from <see cref="Direct"/>, and sends with <see cref="RequestAsync"/>, which waits
/// out a reconnect.
/// </summary>
public sealed class RealtimeConnection(
    IReadOnlyList<Uri> servers, string apiKey, IEnumerable<string> topics, Func<GstdSocket, string, CancellationToken, Task>? connected = null)
    : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(45);

    /// <summary>The code of an error reply that means the server failed, not the message: it is sent again.</summary>
    private const string ServerFailed = "internal_error";

    /// <summary>The code of an error reply to a socket past its message budget: the message is sent again after a pause.</summary>
    private const string RateLimited = "rate_limited";

    private static readonly TimeSpan MaxFailedBackoff = TimeSpan.FromSeconds(2);

    /// <summary>How long a gap in a topic's offsets may stay open before the topic is resubscribed to fill it.</summary>
    private static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(1);

    private readonly List<TopicFollower> _followers = [.. topics.Distinct(StringComparer.Ordinal).Select(t => new TopicFollower(t))];
    private readonly Channel<RealtimeEvent> _events = Channel.CreateUnbounded<RealtimeEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Channel<string> _resyncs = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Channel<JsonElement> _direct = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource<GstdSocket> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GstdSocket? _socket;
    private Task? _loop;

    public ChannelReader<RealtimeEvent> Events => _events.Reader;

    /// <summary>Topics whose continuity was lost: the application re-reads their state, then carries on.</summary>
    public ChannelReader<string> Resyncs => _resyncs.Reader;

    /// <summary>Event frames outside any topic's sequence: a worker's offers and revocations, sent again after every reconnect.</summary>
    public ChannelReader<JsonElement> Direct => _direct.Reader;

    public ConnectionState State { get; private set; } = ConnectionState.Connecting;

    /// <summary>How long <see cref="RequestAsync"/> waits for a connection before it gives up.</summary>
    public TimeSpan RequestPatience { get; init; } = TimeSpan.FromSeconds(30);

    public event Action<ConnectionState>? StateChanged;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Drops the current connection without a close, as a network cut would; it reconnects by itself.</summary>
    public void Interrupt() => _socket?.Abort();

    /// <summary>
    /// Sends a message on the current connection and answers the server's reply; while there is none (or the
    /// one used breaks) it waits for the next, up to <see cref="RequestPatience"/>. The server's <c>error</c>
    /// reply throws <see cref="GstdApiException"/>, except <c>internal_error</c> (the server failed, not the message) and
    /// <c>rate_limited</c>, after which the message is sent again with backoff. Only messages the server treats idempotently belong here:
    /// one whose reply was lost with its connection is sent again.
    /// </summary>
    public async Task<JsonElement> RequestAsync(string type, object? fields, CancellationToken ct)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(RequestPatience);
        var failedBackoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            GstdSocket socket;
            try
            {
                socket = await Volatile.Read(ref _ready).Task.WaitAsync(patience.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"No connection to send '{type}' within {RequestPatience.TotalSeconds:0} s.");
            }

            try
            {
                return await socket.RequestAsync(type, fields, patience.Token);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or ChannelClosedException or TimeoutException && !patience.IsCancellationRequested)
            {
                // That connection broke under the message: send it on the next one.
                await Task.Delay(TimeSpan.FromMilliseconds(100), patience.Token);
            }
            catch (GstdApiException e) when (e.Code is ServerFailed or RateLimited && !patience.IsCancellationRequested)
            {
                // The server could not reach what the message is for (its silo died a moment ago, say), or this socket
                // sent more than its budget: a moment later it can.
                await Task.Delay(failedBackoff, patience.Token);
                failedBackoff = TimeSpan.FromTicks(Math.Min(failedBackoff.Ticks * 2, MaxFailedBackoff.Ticks));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        // A clean close first: for a worker it hands its leases back at once instead of after a grace period.
        if (_socket is { } socket)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await _stop.CancelAsync();
        _socket?.Abort();
        await (_loop ?? Task.CompletedTask);
        SetState(ConnectionState.Stopped);
        _events.Writer.TryComplete();
        _resyncs.Writer.TryComplete();
        _direct.Writer.TryComplete();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = FirstBackoff;
        for (var server = 0; !ct.IsCancellationRequested; server = (server + 1) % servers.Count)
        {
            try
            {
                await using var socket = new GstdSocket();
                _socket = socket;
                await socket.ConnectAsync(servers[server], apiKey, ct);
                if (connected is not null)
                {
                    // The server's first frame is its challenge; the caller binds the connection with it.
                    var challenge = await socket.Frames.ReadAsync(ct);
                    await connected(socket, challenge.GetProperty("nonce").GetString()!, ct);
                }

                await FollowAsync(socket, () => backoff = FirstBackoff, ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // Whatever ended this connection, the next one picks up from the last offsets.
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Disposed: whatever the cancelled connection threw is of no interest.
                return;
            }
            finally
            {
                _socket = null;
                if (_ready.Task.IsCompleted)
                {
                    Volatile.Write(ref _ready, new TaskCompletionSource<GstdSocket>(TaskCreationOptions.RunContinuationsAsynchronously));
                }
            }

            if (!ct.IsCancellationRequested)
            {
                SetState(ConnectionState.Reconnecting);
                var jittered = backoff * (0.5 + (Random.Shared.NextDouble() / 2));
                await Task.Delay(jittered, ct).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task FollowAsync(GstdSocket socket, Action followed, CancellationToken ct)
    {
        // Replies are applied before any frame behind them is read, so each follower knows its position first.
        foreach (var follower in _followers)
        {
            await SubscribeAsync(socket, follower, ct);
        }

        SetState(ConnectionState.Connected);
        _ready.TrySetResult(socket);
        followed();
        var gapSince = new Dictionary<TopicFollower, DateTimeOffset>();
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quiet.CancelAfter(gapSince.Count > 0 ? GapPatience : Silence);
            JsonElement frame;
            try
            {
                frame = await socket.Frames.ReadAsync(quiet.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && gapSince.Count > 0)
            {
                frame = default;
            }

            if (frame.ValueKind == JsonValueKind.Object)
            {
                Handle(frame);
            }

            foreach (var follower in _followers)
            {
                if (!follower.HasGap)
                {
                    gapSince.Remove(follower);
                }
                else if (!gapSince.TryAdd(follower, DateTimeOffset.UtcNow) && DateTimeOffset.UtcNow - gapSince[follower] >= GapPatience)
                {
                    // An event was skipped on the way: the replay after a resubscribe brings it.
                    gapSince.Remove(follower);
                    await SubscribeAsync(socket, follower, ct);
                }
            }
        }
    }

    private async Task SubscribeAsync(GstdSocket socket, TopicFollower follower, CancellationToken ct)
    {
        var since = follower.Since is { } position ? new { epoch = position.Epoch, offset = position.Offset } : null;
        var reply = await socket.RequestAsync("subscribe", new { topic = follower.Topic, since }, ct);
        if (follower.Subscribed(reply.GetProperty("epoch").GetString()!, reply.GetProperty("offset").GetInt64(), reply.GetProperty("recovered").GetBoolean()))
        {
            _resyncs.Writer.TryWrite(follower.Topic);
        }
    }

    private void Handle(JsonElement frame)
    {
        var type = frame.GetProperty("type").GetString();
        if (type is not ("event" or "resync") || !frame.TryGetProperty("topic", out var topicProperty)
            || _followers.Find(f => f.Topic == topicProperty.GetString()) is not { } follower)
        {
            // Pings, challenges and other topics' frames carry nothing to hand over.
            return;
        }

        if (!frame.TryGetProperty("offset", out var offsetProperty))
        {
            // Not history: offers and revocations come again after a reconnect, from the task's state.
            _direct.Writer.TryWrite(frame);
            return;
        }

        var epoch = frame.GetProperty("epoch").GetString()!;
        var offset = offsetProperty.GetInt64();
        if (type == "resync")
        {
            follower.Resync(epoch, offset);
            _resyncs.Writer.TryWrite(follower.Topic);
            return;
        }

        var first = follower.Offset + 1;
        foreach (var (due, i) in follower.Received(epoch, offset, frame.GetProperty("event")).Select((e, i) => (e, i)))
        {
            _events.Writer.TryWrite(new RealtimeEvent(follower.Topic, epoch, first + i, due));
        }
    }

    private void SetState(ConnectionState state)
    {
        if (State != state)
        {
            State = state;
            StateChanged?.Invoke(state);
        }
    }
}
