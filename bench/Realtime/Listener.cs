using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gstd.Bench.Realtime;

/// <summary>
/// One raw WebSocket following the <c>account</c> topic, as cheap as a client can be: it reads only each
/// frame's type and offset, and counts events, repeats and holes in the offsets.
/// </summary>
public sealed class Listener : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource<JsonElement>? _reply;
    private TaskCompletionSource? _reached;
    private long _target = long.MaxValue;
    private Task _loop = Task.CompletedTask;
    private long _last;
    private long _events;

    public long Events => Interlocked.Read(ref _events);

    public long Duplicates { get; private set; }

    public long Missed { get; private set; }

    public long Last => Interlocked.Read(ref _last);

    public WebSocketCloseStatus? ClosedWith { get; private set; }

    public static async Task<Listener> ConnectAsync(Uri server, string apiKey, CancellationToken ct)
    {
        var listener = new Listener();
        listener._socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        await listener._socket.ConnectAsync(new UriBuilder(new Uri(server, "ws")) { Scheme = "ws" }.Uri, ct);
        listener._loop = listener.ReadLoopAsync();
        return listener;
    }

    /// <summary>Subscribes to the account topic, from a position or at the head; answers the server's reply.</summary>
    public async Task<(string Epoch, long Offset, bool Recovered)> SubscribeAsync((string Epoch, long Offset)? since)
    {
        _reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (since is { } position)
        {
            _last = position.Offset;
        }

        var message = since is { } s
            ? JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", id = "s", topic = "account", since = new { epoch = s.Epoch, offset = s.Offset } })
            : JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", id = "s", topic = "account" });
        await _socket.SendAsync(message, WebSocketMessageType.Text, true, _stop.Token);
        var reply = await _reply.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var answer = (reply.GetProperty("epoch").GetString()!, reply.GetProperty("offset").GetInt64(), reply.GetProperty("recovered").GetBoolean());
        if (since is null)
        {
            Interlocked.Exchange(ref _last, answer.Item2);
        }

        return answer;
    }

    /// <summary>Completes once the event at <paramref name="offset"/> has arrived.</summary>
    public Task ReachedAsync(long offset)
    {
        lock (_stop)
        {
            if (Last >= offset)
            {
                return Task.CompletedTask;
            }

            _target = offset;
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _reached.Task;
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[8 * 1024];
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var frame = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    ClosedWith = _socket.CloseStatus;
                    return;
                }

                if (!frame.EndOfMessage || message.WrittenCount > 0)
                {
                    message.Write(buffer.AsSpan(0, frame.Count));
                    if (!frame.EndOfMessage)
                    {
                        continue;
                    }

                    Handle(message.WrittenSpan);
                    message.ResetWrittenCount();
                }
                else
                {
                    Handle(buffer.AsSpan(0, frame.Count));
                }
            }
        }
        // An aborted socket may answer a pending receive with any of these.
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            ClosedWith ??= WebSocketCloseStatus.Empty;
        }
    }

    private void Handle(ReadOnlySpan<byte> frame)
    {
        var (type, offset) = TypeAndOffset(frame);
        if (type == "event")
        {
            Interlocked.Increment(ref _events);
            if (offset <= _last)
            {
                Duplicates++;
                return;
            }

            Missed += offset - _last - 1;
            Interlocked.Exchange(ref _last, offset);
            lock (_stop)
            {
                if (offset >= _target)
                {
                    _target = long.MaxValue;
                    _reached?.TrySetResult();
                }
            }
        }
        else if (type is "subscribed" or "error")
        {
            _reply?.TrySetResult(JsonDocument.Parse(frame.ToArray()).RootElement.Clone());
        }
    }

    /// <summary>The top-level <c>type</c> and <c>offset</c>, read without building the event.</summary>
    private static (string? Type, long Offset) TypeAndOffset(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        string? type = null;
        long offset = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = Encoding.UTF8.GetString(reader.ValueSpan);
            }
            else if (reader.ValueTextEquals("offset"u8))
            {
                reader.Read();
                offset = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                break;
            }
            else
            {
                reader.Read();
            }
        }

        return (type, offset);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _loop;
        _socket.Dispose();
        _stop.Dispose();
    }
}
