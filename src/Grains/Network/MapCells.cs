using Gstd.Network;
using Gstd.Tasks;

namespace Gstd.Grains.Network;

/// <summary>The map's arithmetic: workers counted per cell, small cells hidden, and what changed between two maps.</summary>
public static class MapCells
{
    public static IReadOnlyDictionary<GeoCell, MapCell> Count(IEnumerable<WorkerPresence> online, int minWorkers) =>
        online.GroupBy(p => p.Cell)
            .Where(g => g.Count() >= minWorkers)
            .ToDictionary(g => g.Key, g => new MapCell(g.Key.Lat, g.Key.Lon, g.Count(), g.Sum(p => p.ActiveTasks)));

    /// <summary>Cells that appeared or changed, and those that left the map as empty cells.</summary>
    public static IReadOnlyList<MapCell> Changes(IReadOnlyDictionary<GeoCell, MapCell> before, IReadOnlyDictionary<GeoCell, MapCell> after) =>
    [
        .. after.Values.Where(cell => !before.TryGetValue(new GeoCell(cell.Lat, cell.Lon), out var old) || old != cell),
        .. before.Keys.Where(cell => !after.ContainsKey(cell)).Select(cell => new MapCell(cell.Lat, cell.Lon, 0, 0)),
    ];
}
