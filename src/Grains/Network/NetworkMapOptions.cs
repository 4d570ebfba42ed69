namespace Gstd.Grains.Network;

/// <summary>Settings of the public network map, bound from "Gstd:Map".</summary>
public sealed class NetworkMapOptions
{
    public const string Section = "Gstd:Map";

    /// <summary>Cells with fewer workers are left off the map, so no single operator can be located (the demo uses 1).</summary>
    public int MinWorkersPerCell { get; set; } = 3;
}
