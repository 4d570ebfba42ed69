using Gstd.Accounts;
using Gstd.Content;
using Gstd.Identity;
using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Workers;
using Orleans.TestingHost;

namespace Gstd.StorageTests.Tasks;

/// <summary>
/// The people of a marketplace on a test cluster: funded clients with an echo module, and worker agents. It
/// remembers what it made, so a test can leave a shared cluster as it found it.
/// </summary>
public sealed class Market(InProcessTestCluster cluster)
{
    private readonly IClusterClient client = cluster.Client;

    public const long Gstd = 1_000_000_000;

    private readonly List<(string Client, string TaskId)> _tasks = [];
    private readonly List<FakeAgent> _agents = [];

    /// <summary>A client account holding <paramref name="funds"/>, with the echo module and an input uploaded.</summary>
    public async Task<(string Client, string ModuleId, string InputId)> ClientAsync(long funds)
    {
        var id = Ids.New("acc");
        await client.GetGrain<IAccountGrain>(id).Create(new NewAccount("client", AccountRoles.Client, false));
        await client.GetGrain<IAccountGrain>(id).Deposit(funds, "test:" + id);
        var module = TestModules.Wasm("echo");
        await client.GetGrain<IContentGrain>(ContentId.Of(module)).Upload(ContentKind.Module, id, module);
        var input = "hi"u8.ToArray();
        await client.GetGrain<IContentGrain>(ContentId.Of(input)).Upload(ContentKind.Blob, id, input);
        return (id, ContentId.Of(module), ContentId.Of(input));
    }

    /// <summary>
    /// A registered agent on a new operator account (or on <paramref name="account"/>), connected (through
    /// <paramref name="gateway"/>, or the first silo) and kept alive.
    /// </summary>
    public async Task<FakeAgent> AgentAsync(int capacity = 4, string? account = null, InProcessSiloHandle? gateway = null)
    {
        if (account is null)
        {
            account = Ids.New("acc");
            await client.GetGrain<IAccountGrain>(account).Create(new NewAccount("operator", AccountRoles.Worker, true));
        }

        var agent = new FakeAgent(cluster) { AccountId = account };
        var registered = await client.GetGrain<IWorkerGrain>(Ids.New("wrk"))
            .Register(new RegisterWorker(account, "agent", agent.PublicKey, ["wasm"], capacity, null));
        agent.WorkerId = registered.Worker!.Id;
        agent.Session = client.CreateObjectReference<IWorkerSession>(agent);
        if (!await agent.ConnectAsync(gateway))
        {
            throw new InvalidOperationException("The agent could not connect.");
        }

        agent.StartHeartbeats();
        _agents.Add(agent);
        return agent;
    }

    public async Task<TaskView> SubmitAsync(string clientId, string moduleId, string inputId, long price, TaskSpec? spec = null)
    {
        var result = await client.GetGrain<ITaskGrain>(TaskIds.New())
            .Submit(new SubmitTask(clientId, moduleId, inputId, price, spec ?? TaskSpec.Default, [1], FreshId: true));
        if (result.Status != SubmitStatus.Created)
        {
            throw new InvalidOperationException($"Submission refused: {result.Status}");
        }

        _tasks.Add((clientId, result.Task!.Id));
        return result.Task;
    }

    /// <summary>A call that a silo dying under it may break: answers the default instead of throwing.</summary>
    public static async Task<T?> RideOutAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return default;
        }
    }

    /// <summary>Whichever of the agents gets the task's next offer (not a lease confirmation).</summary>
    public static async Task<(string Agent, TaskOffer Offer)> NextOfferForAsync(string taskId, params FakeAgent[] agents)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            foreach (var agent in agents)
            {
                while (agent.Offers.Reader.TryRead(out var offer))
                {
                    if (offer.TaskId == taskId && !offer.Accepted)
                    {
                        return (agent.WorkerId, offer);
                    }
                }
            }

            // Wait for any agent to receive something, then look again.
            await Task.WhenAny(agents.Select(a => a.Offers.Reader.WaitToReadAsync(timeout.Token).AsTask()));
            timeout.Token.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The agent takes the task's next offer, accepts it and returns a verified result.</summary>
    public async Task<TaskOffer> CompleteAsync(FakeAgent agent, string taskId, byte[] output)
    {
        var offer = await agent.NextOfferAsync(taskId);
        var grain = client.GetGrain<ITaskGrain>(taskId);
        Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        Assert.True((await grain.Complete(agent.Result(offer, output))).Accepted);
        return offer;
    }

    /// <summary>Cancels the tasks still open and disconnects the agents: no waiting tasks, no connected workers.</summary>
    public async Task CleanUpAsync()
    {
        foreach (var (clientId, taskId) in _tasks)
        {
            await client.GetGrain<ITaskGrain>(taskId).Cancel(clientId);
        }

        foreach (var agent in _agents)
        {
            agent.Dispose();
            await client.GetGrain<IWorkerGrain>(agent.WorkerId).Disconnect(agent.Session!, clean: true);
        }
    }

    public async Task<TaskState> StatusAsync(string clientId, string taskId) =>
        (await client.GetGrain<ITaskGrain>(taskId).Get(clientId, false))!.Status;
}
