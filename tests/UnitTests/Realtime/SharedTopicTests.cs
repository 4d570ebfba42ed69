using System.Text.Json;
using CsCheck;
using Gstd.Gateway.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gstd.UnitTests.Realtime;

/// <summary>
/// A silo's shared subscription to a topic, between a stream whose live batches the network may lose, repeat or
/// reorder, and sockets that attach at any moment with or without a position to replay from.
/// </summary>
public sealed class SharedTopicTests
{
    [Fact]
    public Task Every_listener_gets_each_event_once_in_order_whatever_happens_to_live_batches() =>
        Gen.Int[0, 99].Array[1, 300].SampleAsync(RunAsync, iter: 200);

    [Fact]
    public async Task A_topic_that_restarted_in_a_new_epoch_is_a_resync_then_events_of_the_new_epoch_follow()
    {
        var topic = new FakeTopicSource();
        var shared = new SharedTopic("account:a", topic, NullLogger.Instance);
        var sink = new RecordingSink();
        await shared.AttachAsync(new TopicListener(sink, "account", null), "1", null, null);
        await shared.TakeAsync(topic.Epoch, topic.Append(2, _ => null));

        topic.Restart("e2");
        var lost = topic.Append(1, _ => null);
        await shared.TakeAsync(topic.Epoch, topic.Append(1, _ => null));
        await shared.TakeAsync("e2", lost);
        await shared.TakeAsync(topic.Epoch, topic.Append(1, _ => null));

        Assert.Equal(
            ["subscribed e1 0", "event e1 1", "event e1 2", "resync e2 2", "event e2 3"],
            sink.Frames.Select(f => $"{f.Type} {f.Epoch} {f.Offset}"));
    }

    [Fact]
    public async Task Each_event_is_serialized_once_for_every_listener_under_the_same_name()
    {
        var topic = new FakeTopicSource();
        var shared = new SharedTopic("account:a", topic, NullLogger.Instance);
        var sinks = Enumerable.Range(0, 3).Select(_ => new RecordingSink()).ToList();
        foreach (var sink in sinks)
        {
            await shared.AttachAsync(new TopicListener(sink, "account", null), "1", null, null);
        }

        await shared.TakeAsync(topic.Epoch, topic.Append(1, _ => "t1"));

        var frames = sinks.Select(s => s.Raw[^1]).ToList();
        Assert.All(frames, f => Assert.True(f.Span.SequenceEqual(frames[0].Span)));
        Assert.True(frames.Skip(1).All(f => f.Equals(frames[0])), "the listeners share one buffer");
        Assert.Equal("t1", JsonDocument.Parse(frames[0]).RootElement.GetProperty("event").GetProperty("taskId").GetString());
    }

    [Fact]
    public async Task Sockets_catching_up_at_once_share_one_read_of_history_and_each_gets_what_it_missed()
    {
        var topic = new FakeTopicSource();
        var shared = new SharedTopic("account:a", topic, NullLogger.Instance);
        topic.Append(30, _ => null);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        topic.NextReadGate = gate.Task;
        var sinks = new Dictionary<long, RecordingSink> { [5] = new(), [10] = new(), [20] = new() };
        var attaches = sinks.Select(s => shared.AttachAsync(new TopicListener(s.Value, "account", null), "1", topic.Epoch, s.Key)).ToList();
        // Two more events: a socket already past the read's end cannot be answered by it and reads on its own.
        await shared.TakeAsync(topic.Epoch, topic.Append(2, _ => null));
        sinks[31] = new RecordingSink();
        attaches.Add(shared.AttachAsync(new TopicListener(sinks[31], "account", null), "1", topic.Epoch, 31));

        gate.SetResult();
        await Task.WhenAll(attaches);
        Assert.Equal(2, topic.Replays);
        await shared.RefreshAsync(topic.Position);

        foreach (var (since, sink) in sinks)
        {
            Assert.Equal("subscribed", sink.Frames[0].Type);
            Assert.Equal(
                Enumerable.Range((int)since + 1, 32 - (int)since).Select(o => (long)o),
                sink.Frames.Skip(1).Select(f => f.Offset));
        }

        // Built once: the sockets that shared the read were sent the same buffer for the same event.
        var at25 = sinks.Where(s => s.Key < 25).Select(s => s.Value).Select(sink => sink.Raw[sink.Frames.FindIndex(f => f.Offset == 25 && f.Type == "event")]).ToList();
        Assert.True(at25.Skip(1).All(f => f.Equals(at25[0])), "the sharing sockets got one buffer");
    }

    /// <summary>
    /// Ops steer: append a batch, deliver a pending one (kept for a repeat or not), lose one, attach a socket —
    /// at once, or slowly, its replay answered while later ops run (sockets attaching meanwhile may share it) — and refresh.
    /// </summary>
    private static async Task RunAsync(int[] ops)
    {
        var topic = new FakeTopicSource();
        var shared = new SharedTopic("account:a", topic, NullLogger.Instance);
        var pending = new List<IReadOnlyList<Gstd.Realtime.TopicEvent>>();
        var listeners = new List<(RecordingSink Sink, long? Since, string? Task)>();
        (TaskCompletionSource Gate, Task Attach)? slow = null;
        List<Task> joined = [];
        static string? TaskOf(long offset) => "t" + (offset % 3);
        for (var i = 0; i < ops.Length; i++)
        {
            var op = ops[i];
            switch (op % 6)
            {
                case 0 or 1:
                    pending.Add(topic.Append(1 + (op % 4), TaskOf));
                    break;
                case 2 when pending.Count > 0:
                    var batch = pending[op % pending.Count];
                    if (op % 5 != 0)
                    {
                        pending.Remove(batch);
                    }

                    await shared.TakeAsync(topic.Epoch, batch);
                    break;
                case 3 when pending.Count > 0 && op % 4 == 0:
                    pending.RemoveAt(op % pending.Count);
                    break;
                case 4 when listeners.Count < 12:
                    // A fresh socket, one coming back from some way behind (maybe beyond retention), or a task filter.
                    long? since = op % 3 == 0 ? null : Math.Max(0, topic.Head - (op % 70));
                    var task = op % 4 == 1 ? "t1" : null;
                    var sink = new RecordingSink();
                    var listener = new TopicListener(sink, task is null ? "account" : "task:" + task, task);
                    listeners.Add((sink, since, task));
                    if (slow is null && op % 5 == 2)
                    {
                        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        topic.NextReadGate = gate.Task;
                        var attach = shared.AttachAsync(listener, "1", since is null ? null : topic.Epoch, since);
                        if (attach.IsCompleted)
                        {
                            // Served from the silo's recent frames without a read: nothing to hold up.
                            topic.NextReadGate = null;
                            await attach;
                        }
                        else
                        {
                            slow = (gate, attach);
                        }
                    }
                    else
                    {
                        var attach = shared.AttachAsync(listener, "1", since is null ? null : topic.Epoch, since);
                        if (attach.IsCompleted)
                        {
                            await attach;
                        }
                        else
                        {
                            // It shares the slow replay in flight, and is answered with it.
                            joined.Add(attach);
                        }
                    }

                    break;
                case 5 when slow is { } pendingAttach && op % 2 == 0:
                    pendingAttach.Gate.SetResult();
                    await pendingAttach.Attach;
                    await Task.WhenAll(joined);
                    (slow, joined) = (null, []);
                    break;
                case 5:
                    await shared.RefreshAsync(topic.Position);
                    break;
            }
        }

        if (slow is { } last)
        {
            last.Gate.SetResult();
            await last.Attach;
            await Task.WhenAll(joined);
        }

        await shared.RefreshAsync(topic.Position);
        foreach (var (sink, since, task) in listeners)
        {
            var reply = sink.Frames[0];
            Assert.Equal("subscribed", reply.Type);
            // Events follow one another (those of the task, for a filter); a resync (the silo fell further behind
            // than history keeps) may only move forward.
            var position = reply.Recovered && since is { } s ? s : reply.Offset;
            bool Wanted(long o) => task is null || TaskOf(o) == task;
            foreach (var frame in sink.Frames.Skip(1))
            {
                if (frame.Type == "resync")
                {
                    Assert.True(frame.Offset >= position, $"resync from {position} back to {frame.Offset}");
                    position = frame.Offset;
                    continue;
                }

                Assert.Equal("event", frame.Type);
                var next = position + 1;
                while (!Wanted(next))
                {
                    next++;
                }

                Assert.True(next == frame.Offset, $"expected {next}: {string.Join(" ", sink.Frames.Select(f => $"{f.Type}:{f.Offset}"))} (since {since}, task {task})");
                position = frame.Offset;
            }

            Assert.DoesNotContain(Enumerable.Range((int)position + 1, (int)Math.Max(0, topic.Head - position)), o => Wanted(o));
        }
    }
}
