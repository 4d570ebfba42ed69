using System.Text.Json;

namespace Gstd.Client.Realtime;

/// <summary>One event of a topic, as the application receives it: once, and in offset order within its topic.</summary>
public sealed record RealtimeEvent(string Topic, string Epoch, long Offset, JsonElement Event);
