using Gstd.Accounts;
using Gstd.Content;
using Gstd.Identity;
using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Workers;

namespace Gstd.StorageTests.Tasks;

/// <summary>The people of a marketplace on a test cluster: funded clients with an echo module, and worker agents.</summary>
public sealed class Market(IClusterClient client)
{
    public const long Gstd = 1_000_000_000;

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

    /// <summary>A registered agent on a new operator account (or on <paramref name="account"/>), connected and kept alive.</summary>
    public async Task<FakeAgent> AgentAsync(int capacity = 4, string? account = null)
    {
        if (account is null)
        {
            account = Ids.New("acc");
            await client.GetGrain<IAccountGrain>(account).Create(new NewAccount("operator", AccountRoles.Worker, true));
        }

        var agent = new FakeAgent { AccountId = account };
        var registered = await client.GetGrain<IWorkerGrain>(Ids.New("wrk"))
            .Register(new RegisterWorker(account, "agent", agent.PublicKey, ["wasm"], capacity, null));
        agent.WorkerId = registered.Worker!.Id;
        agent.Session = client.CreateObjectReference<IWorkerSession>(agent);
        if (await agent.ConnectAsync(client) is null)
        {
            throw new InvalidOperationException("The agent could not connect.");
        }

        agent.StartHeartbeats(client);
        return agent;
    }

    public async Task<TaskView> SubmitAsync(string clientId, string moduleId, string inputId, long price, TaskSpec? spec = null)
    {
        var result = await client.GetGrain<ITaskGrain>(TaskIds.New())
            .Submit(new SubmitTask(clientId, moduleId, inputId, price, spec ?? TaskSpec.Default, [1]));
        return result.Status == SubmitStatus.Created ? result.Task! : throw new InvalidOperationException($"Submission refused: {result.Status}");
    }

    public async Task<TaskState> StatusAsync(string clientId, string taskId) =>
        (await client.GetGrain<ITaskGrain>(taskId).Get(clientId, false))!.Status;
}
