using CsCheck;
using Gstd.Grains.Network;
using Gstd.Network;
using Gstd.Tasks;

namespace Gstd.UnitTests.Realtime;

/// <summary>The public map's counting and its change sets.</summary>
public sealed class MapCellsTests
{
    private static readonly Gen<WorkerPresence[]> Network =
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 5])
            .Select((id, lat, lon, active) => new WorkerPresence("w" + id, new GeoCell(lat, lon), true, active))
            .Array[0, 40]
            .Select(all => all.DistinctBy(p => p.WorkerId).ToArray());

    [Fact]
    public void Cells_with_fewer_workers_than_the_minimum_are_left_off_and_the_others_count_workers_and_tasks()
    {
        var cells = MapCells.Count(
        [
            new("a", new GeoCell(48, 2), true, 2), new("b", new GeoCell(48, 2), true, 1), new("c", new GeoCell(48, 2), true, 0),
            new("d", new GeoCell(-33, 151), true, 4), new("e", new GeoCell(-33, 151), true, 4),
        ], minWorkers: 3);

        Assert.Equal([new MapCell(48, 2, 3, 3)], cells.Values);
    }

    [Fact]
    public void Applying_the_changes_to_the_map_a_client_holds_gives_the_new_map()
    {
        Gen.Select(Network, Network, Gen.Int[1, 3]).Sample((before, after, min) =>
        {
            var old = MapCells.Count(before, min);
            var next = MapCells.Count(after, min);
            var held = old.Values.ToDictionary(c => (c.Lat, c.Lon));
            foreach (var change in MapCells.Changes(old, next))
            {
                if (change.Workers == 0)
                {
                    Assert.True(held.Remove((change.Lat, change.Lon)), "only a cell on the map leaves it");
                }
                else
                {
                    held[(change.Lat, change.Lon)] = change;
                }
            }

            Assert.Equal(next.Values.OrderBy(c => (c.Lat, c.Lon)), held.Values.OrderBy(c => (c.Lat, c.Lon)));
            Assert.All(held.Values, c => Assert.True(c.Workers >= min));
        });
    }
}
