using Gstd.Accounts;
using Gstd.Content;
using Gstd.Disputes;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Disputes;

/// <summary>A client, a worker and a completed task between them, ready to be disputed.</summary>
public sealed class DisputeParties(IClusterClient grains)
{
    public const long Gstd = Market.Gstd;

    public string Client { get; private set; } = "";

    public FakeAgent Agent { get; private set; } = null!;

    public TaskView Task { get; private set; } = null!;

    public string DisputeId => DisputeIds.ForTask(Task.Id);

    public IDisputeGrain Dispute => grains.GetGrain<IDisputeGrain>(DisputeId);

    /// <summary>
    /// A task of <paramref name="module"/> on <paramref name="input"/> that the worker completes with
    /// <paramref name="output"/> (the echo module on "hi" truly gives "echo:hi").
    /// </summary>
    public static async Task<DisputeParties> CompletedAsync(
        IClusterClient grains, Market market, byte[] output, string module = "echo", byte[]? input = null, TaskSpec? spec = null, long price = Gstd)
    {
        var parties = new DisputeParties(grains);
        var (client, echoId, hiId) = await market.ClientAsync(100 * Gstd);
        var moduleId = echoId;
        if (module != "echo")
        {
            var bytes = TestModules.Wasm(module);
            moduleId = ContentId.Of(bytes);
            await grains.GetGrain<IContentGrain>(moduleId).Upload(ContentKind.Module, client, bytes);
        }

        var inputId = hiId;
        if (input is not null)
        {
            inputId = ContentId.Of(input);
            await grains.GetGrain<IContentGrain>(inputId).Upload(ContentKind.Blob, client, input);
        }

        parties.Client = client;
        parties.Agent = await market.AgentAsync();
        var task = await market.SubmitAsync(client, moduleId, inputId, price, spec ?? TaskSpec.Default with { ReviewSeconds = 3_600 });
        await market.CompleteAsync(parties.Agent, task.Id, output);
        parties.Task = (await grains.GetGrain<ITaskGrain>(task.Id).Get(client, false))!;
        return parties;
    }

    public Task<DisputeActionResult> OpenAsync(DisputeReason reason, string details = "The output is wrong.") =>
        Dispute.Open(new OpenDispute(Client, Task.Id, reason, details));

    public async Task<DisputeView> ResolvedAsync() =>
        await Eventually.Until(() => Dispute.Get(Client, false), d => d is { Status: DisputeStatus.Resolved, Decision: not null }, TimeSpan.FromSeconds(60), "the dispute to be resolved")
        ?? throw new InvalidOperationException("unreachable");

    public async Task<TaskView> TaskAsync() => (await grains.GetGrain<ITaskGrain>(Task.Id).Get(Client, false))!;

    public async Task<long> AvailableAsync(string account) => (await grains.GetGrain<IAccountGrain>(account).Get())!.Balance.Available;

    public async Task<long> EscrowAsync(string account) => (await grains.GetGrain<IAccountGrain>(account).Get())!.Balance.Escrow;
}
