using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Gstd.Gateway.Http;
using Gstd.Identity;
using Gstd.Tasks;
using Gstd.Workers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// One WebSocket: text frames of one JSON object, every client message acknowledged by id. A worker agent
/// binds the socket to its worker with a signed <c>hello</c>, then receives what its worker's stream carries for it
/// (<see cref="AgentFeed"/>) and reports on its leases. Outgoing frames go through a bounded queue; a client too slow
/// to read is closed.
/// </summary>
public sealed class SocketSession(
    WebSocket socket, Principal principal, IGrainFactory grains, TopicHub hub, SocketRegistry registry, RequestBudget budget, TimeSpan pingEvery,
    ILogger<SocketSession> logger)
    : IWorkerSession, IFrameSink
{
    private const int MaxSubscriptions = 64;
    private const int MaxIdLength = 100;
    private const int MaxTopicLength = 100;
    private const int MaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>Until the socket is bound to a worker (whose results may be large) a message is small: this is all it may buffer.</summary>
    private const int MaxUnboundFrameBytes = 64 * 1024;
    private const int QueuedFrames = 1024;
    private readonly Channel<ReadOnlyMemory<byte>> _outgoing = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(QueuedFrames) { SingleReader = true });
    private readonly string _nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24));
    private readonly CancellationTokenSource _closing = new();
    private string? _workerId;
    private IWorkerSession? _reference;
    private AgentFeed? _feed;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "bye";
    private bool _clientClosed;
    private byte[]? _helloSignature;

    public string AccountId => principal.AccountId;

    public string KeyId => principal.KeyId;

    /// <summary>Whether a hello bound the socket to a worker, whose agent sends a message or two for every task it runs.</summary>
    public bool IsBoundToWorker => _workerId is not null;

    /// <summary>The key was revoked or the account disabled: the socket closes as unauthorized.</summary>
    public void Revoke() => Close((WebSocketCloseStatus)4401, "unauthorized: the key was revoked or the account disabled");

    /// <summary>The account has as many sockets open here as it may: this one closes before it starts.</summary>
    public static Task RefuseAsync(WebSocket socket, CancellationToken ct) =>
        socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too_many_sockets", ct);

    /// <summary>By the topic name the client used; only the read loop changes it.</summary>
    private readonly Dictionary<string, (SharedTopic Topic, TopicListener Listener)> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>
    /// How often a bound socket vouches for itself to its worker grain (which takes a worker without a heartbeat
    /// for 15 s offline) and rebinds if that grain was re-activated after a silo crash.
    /// </summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <param name="aborted">The client went away.</param>
    /// <param name="stopping">The silo is shutting down: the socket closes with 1001 so the client reconnects elsewhere now.</param>
    public async Task RunAsync(CancellationToken aborted, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        using var goingAway = stopping.Register(() => Close(WebSocketCloseStatus.EndpointUnavailable, "going_away"));
        var writer = WriteLoopAsync(linked.Token);
        var rebinder = RebindLoopAsync(linked.Token);
        var pinger = PingLoopAsync(linked.Token);
        Send(new { type = "challenge", nonce = _nonce });
        try
        {
            await ReadLoopAsync(linked.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            logger.LogDebug(e, "Socket of {Account} ended", principal.AccountId);
        }
        finally
        {
            // The heartbeat loop stops first, so it cannot bind this dead socket to its worker again.
            await linked.CancelAsync();
            await rebinder;
            await pinger;
            if (_workerId is not null && _reference is not null)
            {
                // A clean close ends the worker's leases now; an abrupt one (or a silo shutting down) keeps them.
                await grains.GetGrain<IWorkerGrain>(_workerId).Disconnect(_reference, _clientClosed);
                grains.DeleteObjectReference<IWorkerSession>(_reference);
            }

            if (_feed is not null)
            {
                await _feed.DisposeAsync();
            }

            foreach (var (topic, listener) in _subscriptions.Values)
            {
                await hub.ReleaseAsync(topic, listener);
            }

            _outgoing.Writer.TryComplete();
            await writer;
        }
    }

    /// <summary>A JSON <c>ping</c> now and then, so a UI can show that its connection is alive.</summary>
    private async Task PingLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(pingEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                Send(new { type = "ping" });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RebindLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(Heartbeat, ct);
                if (_workerId is { } workerId && _reference is { } reference && _helloSignature is { } signature
                    && !await grains.GetGrain<IWorkerGrain>(workerId).Heartbeat(reference))
                {
                    // The grain lost the binding: bind again; re-sent offers are ones the agent already has and ignores.
                    await grains.GetGrain<IWorkerGrain>(workerId).Connect(reference, principal.AccountId, _nonce, signature);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task Replaced()
    {
        Close(WebSocketCloseStatus.PolicyViolation, "replaced");
        return Task.CompletedTask;
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        // Client messages are small; a larger one is gathered in the stream below. Idle sockets are many.
        var buffer = new byte[4 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var frame = await socket.ReceiveAsync(buffer, ct);
            if (frame.MessageType == WebSocketMessageType.Close)
            {
                _clientClosed = true;
                return;
            }

            message.Write(buffer, 0, frame.Count);
            if (message.Length > (_workerId is null ? MaxUnboundFrameBytes : MaxFrameBytes))
            {
                Close(WebSocketCloseStatus.MessageTooBig, "frame too big");
                return;
            }

            if (!frame.EndOfMessage)
            {
                continue;
            }

            await HandleAsync(message.ToArray());
            message.SetLength(0);
        }
    }

    private async Task HandleAsync(byte[] frame)
    {
        bool permitted;
        using (var permit = registry.Messages.AttemptAcquire(this))
        {
            permitted = permit.IsAcquired;
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(frame).RootElement;
        }
        catch (JsonException)
        {
            Error(null, ProblemCodes.ValidationFailed, "A frame must be one JSON object.");
            return;
        }

        var message = new JsonBody(root);
        var id = message.String("id", required: true, maxLength: MaxIdLength);
        var type = message.String("type", required: true, maxLength: 32);
        if (!permitted)
        {
            // With the message's id, so that a client waiting for its answer hears it and can send it again.
            Error(message.IsValid ? id : null, ProblemCodes.RateLimited, "Too many messages on this socket; slow down.");
            return;
        }

        if (!message.IsValid)
        {
            Error(id, ProblemCodes.ValidationFailed, "Every message is a JSON object with a string 'type' and 'id' (" + message.FirstError + ").");
            return;
        }

        try
        {
            switch (type)
            {
                case "ping":
                    Send(new { type = "pong", id });
                    return;
                case "hello":
                    await HelloAsync(id!, message);
                    return;
                case "subscribe":
                    await SubscribeAsync(id!, message);
                    return;
                case "unsubscribe":
                    await UnsubscribeAsync(id!, message);
                    return;
                case "accept" or "progress" or "result" or "fail" or "decline":
                    await WorkAsync(id!, type, message);
                    return;
                default:
                    Error(id, ProblemCodes.ValidationFailed, $"Unknown message type '{type}'.");
                    return;
            }
        }
        catch (Exception e) when (!_closing.IsCancellationRequested)
        {
            // Whatever went wrong below (a grain that timed out, a bug), this message fails alone and the socket goes on.
            logger.LogWarning(e, "A {Type} message of {Account} failed", type, principal.AccountId);
            Error(id, ProblemCodes.Internal, "The server could not handle this message; try again.");
        }
    }

    /// <summary>Answers an error frame with the first thing wrong with the message, when something is.</summary>
    private bool Invalid(string id, JsonBody message)
    {
        if (message.IsValid)
        {
            return false;
        }

        Error(id, ProblemCodes.ValidationFailed, message.FirstError);
        return true;
    }

    /// <summary>
    /// Subscribes to <c>account</c> (the caller's own), <c>task:{id}</c> (an own task, served as a filter of the
    /// account topic), <c>worker:{id}</c> (an own worker), <c>admin</c> or <c>network</c>, replaying what was
    /// missed since <c>since</c>.
    /// </summary>
    private async Task SubscribeAsync(string id, JsonBody message)
    {
        var topic = message.String("topic", required: true, maxLength: MaxTopicLength);
        var since = message.Object("since", required: false);
        var sinceEpoch = since?.String("epoch", required: true, maxLength: 100);
        long? sinceOffset = since?.Integer("offset", 0, long.MaxValue, 0, required: true);
        if (Invalid(id, message))
        {
            return;
        }

        // A subscription costs what a request costs: it reads grains and history, so it spends the same budget.
        using (var request = budget.TakeRequest(principal.AccountId))
        {
            if (!request.IsAcquired)
            {
                Error(id, ProblemCodes.RateLimited, "Too many requests from this account; retry in a minute.");
                return;
            }
        }

        var target = await TopicAccess.ResolveAsync(grains, principal, topic!);
        if (target is null)
        {
            Error(id, ProblemCodes.NotFound, $"There is no topic '{topic}' this account may read.");
            return;
        }

        if (_subscriptions.Count >= MaxSubscriptions && !_subscriptions.ContainsKey(topic!))
        {
            Error(id, ProblemCodes.ValidationFailed, $"At most {MaxSubscriptions} subscriptions a connection.");
            return;
        }

        var shared = hub.Hold(target.Value.GrainTopic);
        if (_subscriptions.Remove(topic!, out var previous))
        {
            // A resubscribe replaces the topic's listener: it starts again from the position it names.
            await hub.ReleaseAsync(previous.Topic, previous.Listener);
        }

        var listener = new TopicListener(this, topic!, target.Value.TaskFilter);
        try
        {
            await shared.AttachAsync(listener, id, sinceEpoch, sinceOffset);
        }
        catch
        {
            await hub.ReleaseAsync(shared, listener);
            throw;
        }

        _subscriptions[topic!] = (shared, listener);

        // Offers are not history: a bound agent subscribing to its worker topic gets its open offers and leases again.
        if (_workerId is { } bound && topic == "worker:" + bound && _reference is { } reference && _helloSignature is { } signature)
        {
            await grains.GetGrain<IWorkerGrain>(bound).Connect(reference, principal.AccountId, _nonce, signature);
        }
    }

    private async Task UnsubscribeAsync(string id, JsonBody message)
    {
        var topic = message.String("topic", required: true, maxLength: MaxTopicLength);
        if (Invalid(id, message))
        {
            return;
        }

        if (_subscriptions.Remove(topic!, out var removed))
        {
            await hub.ReleaseAsync(removed.Topic, removed.Listener);
        }

        Send(new { type = "ack", id });
    }

    private async Task HelloAsync(string id, JsonBody message)
    {
        var workerId = message.String("workerId", required: true, maxLength: 64);
        var nonce = message.String("nonce", required: true, maxLength: 100);
        var signature = message.Base64("signature", required: true, maxBytes: WorkerMessages.SignatureBytes);
        if (Invalid(id, message))
        {
            return;
        }

        if (!principal.Roles.HasFlag(AccountRoles.Worker) || principal.WorkerRole != WorkerRoleStatus.Active)
        {
            Error(id, ProblemCodes.Forbidden, "Only an approved worker account can bind a worker.");
            return;
        }

        if (nonce != _nonce || !Ids.IsWellFormed(workerId))
        {
            Error(id, ProblemCodes.Forbidden, "Sign this connection's challenge nonce with the worker's key.");
            return;
        }

        var reference = _reference ?? grains.CreateObjectReference<IWorkerSession>(this);
        var feed = await AgentFeed.FollowAsync(hub.Source, workerId!, this);
        bool connected;
        try
        {
            connected = await grains.GetGrain<IWorkerGrain>(workerId!).Connect(reference, principal.AccountId, nonce!, signature!);
        }
        catch
        {
            await feed.DisposeAsync();
            throw;
        }

        if (!connected)
        {
            await feed.DisposeAsync();
            if (_reference is null)
            {
                // A refused hello leaves nothing behind: the reference made for it is not anyone's.
                grains.DeleteObjectReference<IWorkerSession>(reference);
            }

            Error(id, ProblemCodes.Forbidden, "The worker, its account or the signature does not match.");
            return;
        }

        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }

        (_workerId, _reference, _helloSignature, _feed) = (workerId, reference, signature, feed);
        Send(new { type = "ack", id });
        feed.Open();
    }

    private async Task WorkAsync(string id, string type, JsonBody message)
    {
        if (_workerId is null)
        {
            Error(id, ProblemCodes.Forbidden, "Say hello first: the socket is not bound to a worker.");
            return;
        }

        var taskId = message.String("taskId", required: true, maxLength: 64);
        var lease = message.Integer("lease", 1, long.MaxValue, 0, required: true);
        if (taskId is not null && !Ids.IsWellFormed(taskId))
        {
            message.Error("taskId", "Must be a task id.");
        }

        var failure = type == "fail" ? WorkerMessages.FailureOf(message) : null;
        var result = type == "result" ? WorkerMessages.ResultOf(message, _workerId, taskId, lease, MaxFrameBytes) : null;
        if (Invalid(id, message))
        {
            return;
        }

        var task = grains.GetGrain<ITaskGrain>(taskId!);
        var outcome = type switch
        {
            "accept" => await task.AcceptOffer(_workerId, lease),
            "progress" => await task.Progress(_workerId, lease),
            "decline" => await task.Decline(_workerId, lease),
            "fail" => await task.Fail(_workerId, lease, failure!),
            _ => await task.Complete(result!),
        };
        if (outcome.Accepted)
        {
            Send(new { type = "ack", id });
        }
        else
        {
            Error(id, outcome.Code!, outcome.Message!);
        }
    }

    private void Error(string? id, string code, string message) => Send(new { type = "error", id, code, message });

    private void Send(object frame) => Send(WireJson.Frame(frame));

    public void Send(ReadOnlyMemory<byte> frame)
    {
        if (!_outgoing.Writer.TryWrite(frame))
        {
            Close(WebSocketCloseStatus.PolicyViolation, "slow_consumer");
        }
    }

    private void Close(WebSocketCloseStatus status, string reason)
    {
        _closeStatus = status;
        _closeReason = reason;
        _outgoing.Writer.TryComplete();
        _closing.Cancel();
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var frame in _outgoing.Reader.ReadAllAsync(ct))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            logger.LogDebug(e, "Writing to the socket of {Account} stopped", principal.AccountId);
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                logger.LogDebug(e, "Closing the socket of {Account} failed", principal.AccountId);
            }
        }
    }
}
