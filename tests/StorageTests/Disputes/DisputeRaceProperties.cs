using CsCheck;
using Gstd.Accounts;
using Gstd.Disputes;
using Gstd.Grains.Ledger;
using Gstd.Identity;
using Gstd.Scheduling;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Disputes;

/// <summary>
/// Generated histories of a completed task: a dispute raced (or not) against accept, the end of the review
/// window, redrive, the sentinel and admin decisions. Whatever happens, money is conserved, the escrow is paid
/// out exactly once, and once a dispute froze it only the dispute's decision moved it.
/// </summary>
[Collection(ShiftedTimeCollection.Name)]
public sealed class DisputeRaceProperties(ShiftedTimeClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = Market.Gstd;
    private const long Price = Gstd;
    private const long Fee = Gstd / 20;
    private const int ReviewSeconds = 60;
    private static readonly byte[] Right = "echo:hi"u8.ToArray();
    private readonly Market _market = new(fixture.Cluster);
    private readonly List<FakeAgent> _agents = [];

    private IClusterClient Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    private enum Move
    {
        Accept,
        DisputeOther,
        DisputeWrongOutput,
        EndReviewWindow,
        Redrive,
        Audit,
        DecideRefund,
        DecideRelease,
        DecideSplit,
    }

    [Fact]
    public async Task Money_is_conserved_and_the_freeze_wins_every_race()
    {
        var history = Gen.Select(Gen.Enum<Move>().Array[1, 4], Gen.Bool, Gen.Bool, Gen.Int[0, 10_000]);
        // One history at a time: the races are within a history, and two at once would take each other's offers.
        await history.SampleAsync(async (moves, together, honest, share) => await RunAsync(moves, together, honest, share), iter: 25, threads: 1);
    }

    private async Task RunAsync(Move[] moves, bool together, bool honest, int share)
    {
        // A fresh worker account each time (lost disputes take accounts below the trust floor, and then they get no
        // work); whichever of them the task is offered to does it.
        _agents.Add(await _market.AgentAsync());
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var task = await _market.SubmitAsync(client, moduleId, inputId, Price, TaskSpec.Default with { ReviewSeconds = ReviewSeconds });
        var (workerId, offer) = await Market.NextOfferForAsync(task.Id, [.. _agents]);
        var worker = _agents.Single(a => a.WorkerId == workerId);
        Assert.True((await Grains.GetGrain<ITaskGrain>(task.Id).AcceptOffer(workerId, offer.Lease)).Accepted);
        Assert.True((await Grains.GetGrain<ITaskGrain>(task.Id).Complete(worker.Result(offer, honest ? Right : "echo:lie"u8.ToArray()))).Accepted);
        var taskGrain = Grains.GetGrain<ITaskGrain>(task.Id);
        var dispute = Grains.GetGrain<IDisputeGrain>(DisputeIds.ForTask(task.Id));
        var admin = Ids.New("acc");
        var opened = false;

        async Task PlayAsync(Move move)
        {
            switch (move)
            {
                case Move.Accept:
                    var accepted = await taskGrain.Accept(client);
                    Assert.True(accepted.Status is TaskActionStatus.Done or TaskActionStatus.EscrowFrozen or TaskActionStatus.InvalidState, $"accept: {accepted.Status}");
                    break;
                case Move.DisputeOther or Move.DisputeWrongOutput:
                    var reason = move == Move.DisputeOther ? DisputeReason.Other : DisputeReason.WrongOutput;
                    var result = await dispute.Open(new OpenDispute(client, task.Id, reason, "generated"));
                    opened |= result.Status == DisputeActionStatus.Done;
                    Assert.True(result.Status is DisputeActionStatus.Done or DisputeActionStatus.AlreadyDisputed or DisputeActionStatus.ReviewWindowClosed,
                        $"dispute: {result.Status} {result.Detail}");
                    break;
                case Move.EndReviewWindow:
                    fixture.Clock.Advance(TimeSpan.FromSeconds(ReviewSeconds + 1));
                    await taskGrain.Wake();
                    break;
                case Move.Redrive:
                    Assert.NotEqual(TaskActionStatus.Done, (await taskGrain.Redrive(client, false, null)).Status);
                    break;
                case Move.Audit:
                    Assert.DoesNotContain(task.Id, (await Grains.GetGrain<ISentinelGrain>(0).Audit()).TerminalHoldingEscrow);
                    break;
                default:
                    var (outcome, bps) = move switch
                    {
                        Move.DecideRefund => (DisputeOutcome.Refund, 0),
                        Move.DecideRelease => (DisputeOutcome.Release, Fees.BasisPoints),
                        _ => (DisputeOutcome.Split, share),
                    };
                    await dispute.Decide(new ArbitrationDecision(admin, outcome, bps, "generated"));
                    break;
            }
        }

        if (together)
        {
            await Task.WhenAll(moves.Select(m => Task.Run(() => PlayAsync(m))));
        }
        else
        {
            foreach (var move in moves)
            {
                await PlayAsync(move);
            }
        }

        // Bring the history to its end: a pending arbitration is released, a completed task accepted.
        var final = await Eventually.Until(async () =>
        {
            if (await dispute.Get(client, false) is { Status: DisputeStatus.AwaitingArbitration })
            {
                await dispute.Decide(new ArbitrationDecision(admin, DisputeOutcome.Release, Fees.BasisPoints, "closing"));
            }

            var view = (await taskGrain.Get(client, false))!;
            if (view.Status == TaskState.Completed)
            {
                await taskGrain.Accept(client);
            }

            return view;
        }, t => t.Status is TaskState.Settled or TaskState.Refunded, TimeSpan.FromSeconds(30), "the task to end");

        // Held once, then paid out once: by the dispute's decision if one froze the escrow, by a release otherwise.
        Assert.Equal(["hold", opened ? "decision" : "release"], await TransferKindsAsync(task.Id));
        Assert.Equal(opened, final.DisputeId is not null);

        var toWorker = await TaskLinesAsync(task.Id, LedgerAccounts.Available(worker.AccountId));
        var toPlatform = await TaskLinesAsync(task.Id, LedgerAccounts.PlatformFees);
        Assert.Equal(10 * Gstd, await AvailableAsync(client) + toWorker + toPlatform);
        Assert.Equal(0, (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Escrow);
        Assert.Equal((final.Escrow.ToWorker ?? 0, final.Escrow.ToPlatform ?? 0), (toWorker, toPlatform));
        Assert.Equal(Price + Fee, (final.Escrow.ToWorker ?? 0) + (final.Escrow.ToPlatform ?? 0) + (final.Escrow.ToClient ?? 0));
    }

    private async Task<long> AvailableAsync(string account) => (await Grains.GetGrain<IAccountGrain>(account).Get())!.Balance.Available;

    private async Task<List<string>> TransferKindsAsync(string taskId)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand("SELECT kind FROM ledger_transfers WHERE task_id = @t ORDER BY at");
        cmd.Parameters.AddWithValue("t", taskId);
        var kinds = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds;
    }

    private async Task<long> TaskLinesAsync(string taskId, string account)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(
            "SELECT COALESCE(sum(e.amount), 0)::bigint FROM ledger_entries e JOIN ledger_transfers t ON t.key = e.transfer_key WHERE t.task_id = @t AND e.account = @a");
        cmd.Parameters.AddWithValue("t", taskId);
        cmd.Parameters.AddWithValue("a", account);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
