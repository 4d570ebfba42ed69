namespace Gstd.Client.Realtime;

/// <summary>What a connection indicator shows.</summary>
public enum ConnectionState
{
    Connecting,
    Connected,
    Reconnecting,
    Stopped,
}
