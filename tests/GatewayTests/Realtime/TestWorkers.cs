using System.Net;
using Gstd.Protocol;
using NSec.Cryptography;

namespace Gstd.GatewayTests.Realtime;

/// <summary>A worker as its operator sets one up over HTTP, and the signatures its agent makes.</summary>
public static class TestWorkers
{
    /// <summary>Signs up a worker account, has the admin approve it and registers a worker with a new key.</summary>
    public static async Task<(string Id, string ApiKey, Key Key, string AccountId)> RegisterAsync(GatewayFixture gateway, int capacity = 1, object? location = null)
    {
        var (accountId, apiKey) = await gateway.SignUpAsync("worker");
        using (var admin = gateway.Client(gateway.AdminKey))
        {
            await (await admin.PostJsonAsync($"/api/admin/accounts/{accountId}/approve-worker", new { })).JsonAsync(HttpStatusCode.OK);
        }

        var key = Key.Create(SignatureAlgorithm.Ed25519);
        using var agent = gateway.Client(apiKey);
        var worker = await (await agent.PostJsonAsync("/api/workers", new
        {
            name = "socket", publicKey = Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)), capabilities = new[] { "wasm" }, capacity, location,
        })).JsonAsync(HttpStatusCode.Created);
        return (worker.GetProperty("id").GetString()!, apiKey, key, accountId);
    }

    public static string Sign(Key key, byte[] message) => Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(key, message));

    /// <summary>Reads the socket's challenge and binds it to the worker with a signed hello.</summary>
    internal static async Task HelloAsync(TestSocket socket, string workerId, Key key)
    {
        var nonce = (await socket.ReceiveAsync()).GetProperty("nonce").GetString()!;
        await socket.RequestAsync("hello", new { workerId, nonce, signature = Sign(key, WorkerProof.HelloMessage(workerId, nonce)) }, "ack");
    }
}
