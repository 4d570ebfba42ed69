using Gstd.Accounts;
using Gstd.Disputes;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Verification;

/// <summary>
/// Replicas and spot checks on a cluster that checks every new account's first three results. The echo
/// module on "hi" truly gives "echo:hi"; a cheating agent signs "echo:bad" with a valid signature and proof.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class VerificationTests(VerificationClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = Market.Gstd;
    private static readonly byte[] Right = "echo:hi"u8.ToArray();
    private static readonly byte[] Wrong = "echo:bad"u8.ToArray();
    private readonly Market _market = new(fixture.Cluster);

    private IClusterClient Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task Three_agreeing_replicas_on_three_accounts_complete_the_task_and_each_is_paid_the_price()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(100 * Gstd);
        var agents = new[] { await _market.AgentAsync(), await _market.AgentAsync(), await _market.AgentAsync() };
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { Replicas = 3 });

        var delivered = new List<FakeAgent>();
        for (var i = 0; i < 3; i++)
        {
            delivered.Add(await DeliverNextAsync(task.Id, agents.ToDictionary(a => a, _ => Right)));
        }

        Assert.Equal(3, delivered.Distinct().Count());
        var completed = await TaskAsync(client, task.Id);
        Assert.Equal(TaskState.Completed, completed.Status);
        Assert.Equal(Right, completed.Result!.Output);
        Assert.Equal(3, completed.Attempts.Count(a => a.Outcome == AttemptOutcome.Succeeded));

        Assert.Equal(TaskState.Settled, (await Grains.GetGrain<ITaskGrain>(task.Id).Accept(client)).Task!.Status);
        foreach (var agent in agents)
        {
            Assert.Equal(Gstd, await AvailableAsync(agent.AccountId));
        }

        Assert.Equal(100 * Gstd - (3 * Gstd) - (3 * Gstd / 20), await AvailableAsync(client));
    }

    [Fact]
    public async Task A_cheating_replica_is_outvoted_by_the_platform_before_the_client_sees_it_and_is_not_paid()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(100 * Gstd);
        var honest1 = await _market.AgentAsync();
        var honest2 = await _market.AgentAsync();
        var cheater = await _market.AgentAsync();
        var outputs = new Dictionary<FakeAgent, byte[]> { [honest1] = Right, [honest2] = Right, [cheater] = Wrong };
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { Replicas = 3 });

        for (var i = 0; i < 3; i++)
        {
            await DeliverNextAsync(task.Id, outputs);
        }

        var completed = await Eventually.Until(() => TaskAsync(client, task.Id), t => t.Status == TaskState.Completed, TimeSpan.FromSeconds(30), "the platform to break the tie");
        Assert.Equal(Right, completed.Result!.Output);
        Assert.Contains(completed.History, h => h.Status == TaskState.Verifying);
        Assert.Equal("verified", completed.Reason!.Code);

        await Grains.GetGrain<ITaskGrain>(task.Id).Accept(client);
        Assert.Equal((Gstd, Gstd, 0L), (await AvailableAsync(honest1.AccountId), await AvailableAsync(honest2.AccountId), await AvailableAsync(cheater.AccountId)));
        // Two prices and the whole fee: the cheater's price went back to the client.
        Assert.Equal(100 * Gstd - (2 * Gstd) - (3 * Gstd / 20), await AvailableAsync(client));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM trust_history WHERE account_id = @a AND task_id = @t AND event = 'InvalidResult'", cheater.AccountId, task.Id));
    }

    [Fact]
    public async Task A_dispute_over_an_agreed_result_is_shown_to_every_paid_replica_and_a_split_pays_each_its_share()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(100 * Gstd);
        var agents = new[] { await _market.AgentAsync(), await _market.AgentAsync() };
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { Replicas = 2 });
        for (var i = 0; i < 2; i++)
        {
            await DeliverNextAsync(task.Id, agents.ToDictionary(a => a, _ => Right));
        }

        var dispute = Grains.GetGrain<IDisputeGrain>(DisputeIds.ForTask(task.Id));
        Assert.Equal(DisputeActionStatus.Done, (await dispute.Open(new OpenDispute(client, task.Id, DisputeReason.Other, "Both were slow."))).Status);
        foreach (var agent in agents)
        {
            Assert.NotNull(await dispute.Get(agent.AccountId, false));
        }

        var selfDecided = await dispute.Decide(new ArbitrationDecision(agents[0].AccountId, DisputeOutcome.Release, 10_000, "I decide for myself."));
        Assert.Equal(DisputeActionStatus.InvalidState, selfDecided.Status);

        await dispute.Decide(new ArbitrationDecision(Identity.Ids.New("acc"), DisputeOutcome.Split, 5_000, "Half each."));
        await Eventually.Until(() => TaskAsync(client, task.Id), t => t.Status == TaskState.Settled, TimeSpan.FromSeconds(30), "the split");
        // Each replica half its price; the platform half the fee (5 % of two prices); the client the rest.
        foreach (var agent in agents)
        {
            Assert.Equal(Gstd / 2, await AvailableAsync(agent.AccountId));
        }

        Assert.Equal(100 * Gstd - Gstd - (Gstd / 20), await AvailableAsync(client));
    }

    [Fact]
    public async Task Replicas_never_run_on_two_workers_of_one_account()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(100 * Gstd);
        var first = await _market.AgentAsync();
        var sibling = await _market.AgentAsync(account: first.AccountId);
        var other = await _market.AgentAsync();
        var all = new[] { first, sibling, other }.ToDictionary(a => a, _ => Right);

        for (var round = 0; round < 5; round++)
        {
            var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { Replicas = 2 });
            var a = await DeliverNextAsync(task.Id, all);
            var b = await DeliverNextAsync(task.Id, all);
            Assert.NotEqual(a.AccountId, b.AccountId);
            Assert.Equal(TaskState.Completed, (await TaskAsync(client, task.Id)).Status);
        }
    }

    [Fact]
    public async Task A_new_account_is_spot_checked_until_three_results_in_a_row_verify_and_a_cheat_is_caught_and_run_again()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(100 * Gstd);
        var cheater = await _market.AgentAsync();
        var cheat = await _market.SubmitAsync(client, moduleId, inputId, Gstd);
        Assert.Equal(cheater.WorkerId, (await DeliverNextAsync(cheat.Id, new() { [cheater] = Wrong })).WorkerId);

        var retrying = await Eventually.Until(() => TaskAsync(client, cheat.Id), t => t.Status == TaskState.RetryWaiting, TimeSpan.FromSeconds(30), "the spot check to reject the result");
        Assert.Equal("wrong_result", retrying.Attempts[^1].Error!.Code);
        Assert.Null(retrying.Result);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM trust_history WHERE account_id = @a AND task_id = @t AND event = 'InvalidResult'", cheater.AccountId, cheat.Id));

        var honest = await _market.AgentAsync();
        cheater.StopHeartbeats();
        await Grains.GetGrain<Workers.IWorkerGrain>(cheater.WorkerId).Disconnect(cheater.Session!, clean: true);
        await DeliverNextAsync(cheat.Id, new() { [honest] = Right });
        var redone = await Eventually.Until(() => TaskAsync(client, cheat.Id), t => t.Status == TaskState.Completed, TimeSpan.FromSeconds(30), "the honest result to verify");
        Assert.Equal(Right, redone.Result!.Output);

        // The honest account's first three results are checked (the one above and two more); the fourth is not.
        for (var i = 0; i < 3; i++)
        {
            var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd);
            await DeliverNextAsync(task.Id, new() { [honest] = Right });
            var done = await Eventually.Until(() => TaskAsync(client, task.Id), t => t.Status == TaskState.Completed, TimeSpan.FromSeconds(30), "the task to complete");
            Assert.Equal(i < 2, done.History.Any(h => h.Status == TaskState.Verifying));
        }
    }

    /// <summary>Whichever of the agents is offered the task accepts it and returns its output.</summary>
    private async Task<FakeAgent> DeliverNextAsync(string taskId, Dictionary<FakeAgent, byte[]> outputs)
    {
        var (workerId, offer) = await Market.NextOfferForAsync(taskId, [.. outputs.Keys]);
        var agent = outputs.Keys.Single(a => a.WorkerId == workerId);
        var grain = Grains.GetGrain<ITaskGrain>(taskId);
        Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        Assert.True((await grain.Complete(agent.Result(offer, outputs[agent]))).Accepted);
        return agent;
    }

    private async Task<TaskView> TaskAsync(string client, string taskId) => (await Grains.GetGrain<ITaskGrain>(taskId).Get(client, false))!;

    private async Task<long> AvailableAsync(string account) => (await Grains.GetGrain<IAccountGrain>(account).Get())!.Balance.Available;

    private async Task<long> CountAsync(string sql, string account, string task)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("a", account);
        cmd.Parameters.AddWithValue("t", task);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
