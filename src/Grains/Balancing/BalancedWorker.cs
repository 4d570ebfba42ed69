namespace Gstd.Grains.Balancing;

/// <summary>
/// The balancer's picture of one worker. Trust and pass are part of its place in <see cref="ReadyWorkers"/>, so
/// only the balancer changes them, and only while the worker is out of the tree.
/// </summary>
public sealed class BalancedWorker(string id, long order)
{
    public string Id { get; } = id;

    /// <summary>Breaks ties between equal trust and equal pass: the worker that joined first.</summary>
    public long Order { get; } = order;

    public double Trust { get; set; }

    /// <summary>Virtual time between two picks: the inverse of the weight.</summary>
    public double Stride { get; set; }

    /// <summary>The virtual time of the worker's next pick: the smallest pass goes first.</summary>
    public double Pass { get; set; }

    public int FreeSlots { get; set; }

    public bool IsReady => FreeSlots > 0;
}
