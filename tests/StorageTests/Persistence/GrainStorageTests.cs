using Gstd.Grains.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Gstd.StorageTests.Persistence;

/// <summary>Our grain-state schema and statements, through the real ADO.NET provider of a running silo.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainStorageTests(ClusterFixture fixture)
{
    private static readonly GrainType TestType = GrainType.Create("storagetest");

    private IGrainStorage Storage =>
        fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>("Default");

    public static TheoryData<string> KeyForms => ["string", "long", "long+ext", "guid", "guid+ext"];

    [Theory]
    [MemberData(nameof(KeyForms))]
    public async Task Every_key_form_follows_the_version_rules(string form)
    {
        var grain = NewGrainId(form);
        var state = new GrainState<ProbeState>();

        await Storage.ReadStateAsync("probe", grain, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);

        state.State = new ProbeState { Counter = 1 };
        await Storage.WriteStateAsync("probe", grain, state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);

        var blind = new GrainState<ProbeState> { State = new ProbeState { Counter = 99 } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("probe", grain, blind));

        state.State!.Counter = 2;
        await Storage.WriteStateAsync("probe", grain, state);
        Assert.Equal("2", state.ETag);

        var stale = new GrainState<ProbeState> { State = new ProbeState { Counter = 7 }, ETag = "1", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("probe", grain, stale));

        await Storage.ClearStateAsync("probe", grain, state);
        Assert.Equal("3", state.ETag);
        Assert.False(state.RecordExists);

        var reread = new GrainState<ProbeState>();
        await Storage.ReadStateAsync("probe", grain, reread);
        Assert.Equal("3", reread.ETag);
        Assert.False(reread.RecordExists);
        Assert.Equal(0, reread.State!.Counter);

        var staleClear = new GrainState<ProbeState> { ETag = "2", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("probe", grain, staleClear));

        reread.State = new ProbeState { Counter = 4 };
        await Storage.WriteStateAsync("probe", grain, reread);
        Assert.Equal("4", reread.ETag);
        var last = new GrainState<ProbeState>();
        await Storage.ReadStateAsync("probe", grain, last);
        Assert.Equal(4, last.State!.Counter);
    }

    [Fact]
    public async Task Different_state_names_of_one_grain_are_different_rows()
    {
        var grain = NewGrainId("string");
        var a = new GrainState<ProbeState> { State = new ProbeState { Counter = 1 } };
        var b = new GrainState<ProbeState> { State = new ProbeState { Counter = 2 } };
        await Storage.WriteStateAsync("first", grain, a);
        await Storage.WriteStateAsync("second", grain, b);

        var readA = new GrainState<ProbeState>();
        await Storage.ReadStateAsync("first", grain, readA);
        Assert.Equal(1, readA.State!.Counter);
        Assert.Equal("1", b.ETag);
    }

    [Fact]
    public async Task Concurrent_first_writes_leave_one_winner_and_one_row()
    {
        var grain = NewGrainId("string");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            try
            {
                await Storage.WriteStateAsync("race", grain, new GrainState<ProbeState> { State = new ProbeState { Counter = i } });
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        await using var cmd = fixture.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM orleans_grain_state WHERE graintypestring = 'race' AND grainidextensionstring = @key");
        cmd.Parameters.AddWithValue("key", grain.Key.ToString());
        Assert.Equal(1L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Clearing_a_grain_that_was_never_written_changes_nothing()
    {
        var grain = NewGrainId("long");
        var state = new GrainState<ProbeState>();
        await Storage.ClearStateAsync("probe", grain, state);
        var reread = new GrainState<ProbeState>();
        await Storage.ReadStateAsync("probe", grain, reread);
        Assert.Null(reread.ETag);
    }

    [Fact]
    public async Task Every_persisted_state_type_round_trips_through_the_silo_serializer()
    {
        var types = PersistedStateTypes.Of(typeof(AccountGrain).Assembly).Append(typeof(ProbeState)).Distinct();
        foreach (var type in types)
        {
            var sample = PersistedStateTypes.Sample(type);
            var roundTrip = typeof(GrainStorageTests).GetMethod(nameof(RoundTripAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type);
            var copy = await (Task<object>)roundTrip.Invoke(this, [sample])!;
            Assert.Equal(PersistedStateTypes.Describe(sample), PersistedStateTypes.Describe(copy));
        }
    }

    private async Task<object> RoundTripAsync<T>(T sample)
        where T : class, new()
    {
        var grain = NewGrainId("string");
        await Storage.WriteStateAsync("roundtrip", grain, new GrainState<T> { State = sample });
        var read = new GrainState<T>();
        await Storage.ReadStateAsync("roundtrip", grain, read);
        Assert.True(read.RecordExists);
        return read.State!;
    }

    private static GrainId NewGrainId(string form)
    {
        var guid = Guid.NewGuid();
        var number = Random.Shared.NextInt64(1, long.MaxValue);
        return form switch
        {
            "string" => GrainId.Create(TestType, "key-" + guid.ToString("N")),
            "long" => GrainId.Create(TestType, GrainIdKeyExtensions.CreateIntegerKey(number)),
            "long+ext" => GrainId.Create(TestType, GrainIdKeyExtensions.CreateIntegerKey(number, "ext")),
            "guid" => GrainId.Create(TestType, GrainIdKeyExtensions.CreateGuidKey(guid)),
            "guid+ext" => GrainId.Create(TestType, GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
    }
}

/// <summary>A state shaped like ours: nested records, enums, times, money and collections.</summary>
public sealed class ProbeState
{
    public int Counter { get; set; }

    public long AmountNano { get; set; } = 1_250_000_000;

    public DateTimeOffset At { get; set; } = new(2026, 11, 26, 5, 0, 0, TimeSpan.Zero);

    public DayOfWeek Day { get; set; } = DayOfWeek.Thursday;

    public List<ProbeAttempt> Attempts { get; set; } = [new(1, "worker-1", null), new(2, null, "trap")];

    public Dictionary<string, int> Counters { get; set; } = new() { ["a"] = 1 };
}

public sealed record ProbeAttempt(int Number, string? WorkerId, string? Error);
