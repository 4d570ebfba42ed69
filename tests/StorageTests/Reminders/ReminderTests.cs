using System.Diagnostics;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gstd.StorageTests.Reminders;

/// <summary>Reminders stored in our schema, spread over three silos' ring ranges.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReminderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Reminders_spread_over_three_silos_fire_once_each()
    {
        var keys = Enumerable.Range(0, 48).Select(i => $"probe-{Guid.NewGuid():N}-{i}").ToArray();
        var grains = keys.Select(k => fixture.Cluster.Client.GetGrain<IReminderProbeGrain>(k)).ToArray();
        // One tick each within the test: the next one is a minute away.
        await Task.WhenAll(grains.Select(g => g.Register(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1))));
        var registered = Stopwatch.StartNew();

        await Eventually.Until(
            () => Task.FromResult(keys.Count(k => ReminderProbeGrain.Ticks.ContainsKey(k))),
            count => count == keys.Length, TimeSpan.FromSeconds(90), "every reminder to fire");

        // A duplicate from a second silo would arrive within moments of the first tick; watch a while.
        var window = TimeSpan.FromSeconds(5) - registered.Elapsed;
        if (window > TimeSpan.Zero)
        {
            await Task.Delay(window);
        }

        Assert.All(keys, k => Assert.Single(ReminderProbeGrain.Ticks[k]));
        var firingSilos = keys.Select(k => ReminderProbeGrain.Ticks[k].Single()).Distinct().Count();
        Assert.True(firingSilos >= 2, $"All reminders fired on one silo ({firingSilos}); the ring was not split.");

        await Task.WhenAll(grains.Select(g => g.Unregister()));
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRows(0u, 0u);
        Assert.DoesNotContain(rows.Reminders, r => keys.Contains(r.GrainId.Key.ToString()));
    }

    [Fact]
    public async Task The_reminder_table_answers_every_range_shape()
    {
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var grains = Enumerable.Range(0, 64)
            .Select(i => GrainId.Create("rangeprobe", $"r-{Guid.NewGuid():N}-{i}"))
            .ToArray();
        foreach (var grain in grains)
        {
            var etag = await table.UpsertRow(new ReminderEntry
            {
                GrainId = grain,
                ReminderName = "range",
                StartAt = DateTime.UtcNow,
                Period = TimeSpan.FromDays(30),
            });
            Assert.Equal("0", etag);
        }

        var all = (await table.ReadRows(0u, 0u)).Reminders.Where(r => r.ReminderName == "range").ToList();
        Assert.Equal(grains.Length, all.Count);
        Assert.All(all, r => Assert.Equal(TimeSpan.FromDays(30), r.Period));

        var hashes = grains.Select(g => g.GetUniformHashCode()).OrderBy(h => h).ToArray();
        var pivot = hashes[hashes.Length / 2];
        foreach (var (begin, end) in new[] { (pivot - 1, pivot), (pivot, pivot + 1), (pivot + 1, pivot), (pivot, pivot - 1), (pivot, pivot), (0x7FFF_FFF0u, 0x8000_0010u), (0x8000_0010u, 0x7FFF_FFF0u) })
        {
            var expected = hashes.Where(h => InRange(h, begin, end)).Count();
            var actual = (await table.ReadRows(begin, end)).Reminders.Count(r => r.ReminderName == "range");
            Assert.True(expected == actual, $"Range ({begin:X8}, {end:X8}]: expected {expected}, got {actual}.");
        }

        var one = grains[0];
        var entry = await table.ReadRow(one, "range");
        Assert.NotNull(entry);
        Assert.Equal("1", await table.UpsertRow(new ReminderEntry { GrainId = one, ReminderName = "range", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) }));
        Assert.False(await table.RemoveRow(one, "range", entry.ETag!));
        Assert.True(await table.RemoveRow(one, "range", "1"));
        Assert.False(await table.RemoveRow(one, "range", "1"));
        Assert.Null(await table.ReadRow(one, "range"));
    }

    /// <summary>The ring interval (begin, end]; begin == end is the whole ring.</summary>
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
