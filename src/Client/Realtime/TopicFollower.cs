using System.Text.Json;

namespace Gstd.Client.Realtime;

/// <summary>
/// Follows one topic on the client side: hands every event to the application exactly once and in offset
/// order, whether it comes by replay or live, twice, ahead of a replayed one, or again after a reconnect; and
/// says when continuity was lost so the application re-reads state. Pure: the socket feeds it frames.
/// </summary>
public sealed class TopicFollower(string topic)
{
    /// <summary>Events held back waiting for a gap before them to fill; beyond this, following starts over.</summary>
    public const int MaxEarly = 10_000;

    private readonly SortedDictionary<long, JsonElement> _early = [];

    public string Topic => topic;

    /// <summary>The epoch followed; null until the first <c>subscribed</c>.</summary>
    public string? Epoch { get; private set; }

    /// <summary>The offset of the last event handed to the application.</summary>
    public long Offset { get; private set; }

    /// <summary>Where to resubscribe from after a reconnect, or null to start at the head.</summary>
    public (string Epoch, long Offset)? Since => Epoch is null ? null : (Epoch, Offset);

    /// <summary>An event is waiting for one before it: a resubscribe from <see cref="Since"/> fills the gap.</summary>
    public bool HasGap => _early.Count > 0;

    /// <summary>
    /// The server's answer to a (re)subscribe. Answers true when the application must re-read state: the
    /// server could not replay what was missed (its history ends, or the topic restarted in a new epoch).
    /// </summary>
    public bool Subscribed(string epoch, long offset, bool recovered)
    {
        // Early events of the last connection are dropped: the replay that follows sends them again.
        _early.Clear();
        if (recovered && Epoch is null)
        {
            // The first subscribe starts at the head.
            (Epoch, Offset) = (epoch, offset);
            return false;
        }

        if (recovered && epoch == Epoch)
        {
            // A recovered resubscribe keeps its place: the replay of what was missed follows.
            return false;
        }

        (Epoch, Offset) = (epoch, offset);
        return true;
    }

    /// <summary>
    /// One <c>event</c> frame. Answers the events now due to the application in order: none for a repeat or
    /// an early event, several when this one filled a gap.
    /// </summary>
    public IReadOnlyList<JsonElement> Received(string epoch, long offset, JsonElement payload)
    {
        if (epoch != Epoch || offset <= Offset)
        {
            // Another epoch's event is continuity the server will report (resync); a repeat was delivered.
            return [];
        }

        if (offset > Offset + 1)
        {
            if (_early.Count < MaxEarly)
            {
                _early.TryAdd(offset, payload);
            }

            return [];
        }

        var due = new List<JsonElement> { payload };
        Offset = offset;
        while (_early.Remove(Offset + 1, out var next))
        {
            due.Add(next);
            Offset++;
        }

        return due;
    }

    /// <summary>A <c>resync</c> frame: continuity was lost; the application re-reads state and follows from here.</summary>
    public void Resync(string epoch, long offset)
    {
        _early.Clear();
        (Epoch, Offset) = (epoch, offset);
    }
}
