using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Gstd.Client;

/// <summary>
/// The realtime WebSocket (<c>GET /ws</c>): sends messages with ids and awaits their ack or error, and
/// hands every other frame (challenge, events) to <see cref="Frames"/>.
/// </summary>
public sealed class GstdSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private long _nextId;

    public ChannelReader<JsonElement> Frames => _frames.Reader;

    public async Task ConnectAsync(Uri server, string apiKey, CancellationToken ct)
    {
        _socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        var ws = new UriBuilder(new Uri(server, "ws")) { Scheme = server.Scheme == "https" ? "wss" : "ws" }.Uri;
        await _socket.ConnectAsync(ws, ct);
        _reader = ReadLoopAsync();
    }

    /// <summary>Sends a message (its id is added) and answers the server's ack, or throws its error.</summary>
    public async Task<JsonElement> RequestAsync(string type, object? fields, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = new Dictionary<string, object?> { ["type"] = type, ["id"] = id };
        if (fields is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(fields, JsonSerializerOptions.Web).EnumerateObject())
            {
                message[property.Name] = property.Value;
            }
        }

        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, JsonSerializerOptions.Web);
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sendLock.Release();
        }

        var reply = await answer.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        if (reply.GetProperty("type").GetString() == "error")
        {
            throw new GstdApiException(System.Net.HttpStatusCode.BadRequest, reply.GetProperty("code").GetString()!, reply.GetProperty("message").GetString()!);
        }

        return reply;
    }

    /// <summary>Drops the connection without a close, as a network cut would.</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Closes cleanly: the server ends this worker's leases at once.</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var frame = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, frame.Count);
                if (!frame.EndOfMessage)
                {
                    continue;
                }

                var json = JsonDocument.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)).RootElement.Clone();
                message.SetLength(0);
                if (json.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && _pending.TryRemove(id.GetString()!, out var waiter))
                {
                    waiter.TrySetResult(json);
                }
                else
                {
                    await _frames.Writer.WriteAsync(json);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The connection is gone; the owner reconnects.
        }
        finally
        {
            _frames.Writer.TryComplete();
            foreach (var waiter in _pending.Values)
            {
                waiter.TrySetException(new WebSocketException("The connection closed."));
            }
        }
    }
}
