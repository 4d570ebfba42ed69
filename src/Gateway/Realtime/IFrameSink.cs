namespace Gstd.Gateway.Realtime;

/// <summary>Where a shared topic puts finished frames for one socket (UTF-8 JSON, serialized once).</summary>
public interface IFrameSink
{
    /// <summary>Queues a frame; a sink whose queue is full closes itself (<c>slow_consumer</c>).</summary>
    void Send(ReadOnlyMemory<byte> frame);
}
