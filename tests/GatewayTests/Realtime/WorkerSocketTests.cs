using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gstd.Gateway.Realtime;
using Gstd.Protocol;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Gstd.GatewayTests.Realtime;

/// <summary>The worker protocol on a real WebSocket through the gateway.</summary>
public sealed class WorkerSocketTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_worker_binds_with_a_signed_hello_runs_an_offer_and_gets_paid()
    {
        var worker = await WorkerAsync();
        await using var socket = await ConnectAsync(worker.ApiKey);
        var nonce = (await socket.ReceiveAsync()).GetProperty("nonce").GetString()!;
        await socket.RequestAsync("hello", new { workerId = worker.Id, nonce, signature = Sign(worker.Key, WorkerProof.HelloMessage(worker.Id, nonce)) }, "ack");

        var (client, taskId) = await SubmitAsync("hello");
        var offer = await socket.NextOfferAsync(taskId);
        Assert.Equal("task.offered", offer.GetProperty("kind").GetString());
        // The input was given inline, so it comes with the offer: nothing to download.
        Assert.Equal("hello", Encoding.UTF8.GetString(offer.GetProperty("input").GetBytesFromBase64()));
        var lease = offer.GetProperty("lease").GetInt64();
        await socket.RequestAsync("accept", new { taskId, lease }, "ack");

        var output = "echo:hello"u8.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(output));
        var pow = WorkerProof.SolvePow(taskId, lease, hash, worker.Id, offer.GetProperty("powDifficulty").GetInt32());
        await socket.RequestAsync("result", new
        {
            taskId, lease, output = Convert.ToBase64String(output), outputSha256 = hash, fuelUsed = 10, durationMs = 1,
            powNonce = pow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            signature = Sign(worker.Key, WorkerProof.ResultMessage(taskId, lease, hash, pow)),
        }, "ack");

        var task = await (await client.GetAsync($"/api/tasks/{taskId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Completed", task.GetProperty("status").GetString());
        await (await client.PostJsonAsync($"/api/tasks/{taskId}/accept", new { })).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_failed_task_is_dead_lettered_listed_with_its_attempts_for_its_owner_and_admins_and_redriven_in_bulk()
    {
        var worker = await WorkerAsync(capacity: 8);
        await using var socket = await ConnectAsync(worker.ApiKey);
        var nonce = (await socket.ReceiveAsync()).GetProperty("nonce").GetString()!;
        await socket.RequestAsync("hello", new { workerId = worker.Id, nonce, signature = Sign(worker.Key, WorkerProof.HelloMessage(worker.Id, nonce)) }, "ack");
        var (client, firstId, _) = await SubmitWithKeyAsync("doomed");
        await (await client.PostJsonAsync($"/api/tasks/{firstId}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        var moduleId = (await (await client.GetAsync($"/api/tasks/{firstId}")).JsonAsync(HttpStatusCode.OK)).GetProperty("moduleId").GetString();
        var taskId = (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = "AA==", price = "0.5", maxAttempts = 1 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var lease = (await socket.NextOfferAsync(taskId)).GetProperty("lease").GetInt64();
        await socket.RequestAsync("accept", new { taskId, lease }, "ack");
        await socket.RequestAsync("fail", new { taskId, lease, error = new { code = "trap", message = "unreachable executed" } }, "ack");

        var own = await (await client.GetAsync("/api/dead-letters")).JsonAsync(HttpStatusCode.OK);
        var entry = Assert.Single(own.GetProperty("items").EnumerateArray());
        Assert.Equal(taskId, entry.GetProperty("id").GetString());
        Assert.Equal("attempts_exhausted", entry.GetProperty("reason").GetProperty("code").GetString());
        Assert.Equal("trap", Assert.Single(entry.GetProperty("attempts").EnumerateArray()).GetProperty("error").GetProperty("code").GetString());

        var (_, strangerKey) = await gateway.SignUpAsync("client");
        using var stranger = gateway.Client(strangerKey);
        Assert.Empty((await (await stranger.GetAsync("/api/dead-letters")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        using var admin = gateway.Client(gateway.AdminKey);
        async Task<int> AdminCountAsync(string query) =>
            (await (await admin.GetAsync($"/api/admin/dead-letters?workerId={worker.Id}{query}")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength();
        Assert.Equal(1, await AdminCountAsync(""));
        Assert.Equal(1, await AdminCountAsync("&reason=attempts_exhausted&minAttempts=1"));
        Assert.Equal(0, await AdminCountAsync("&reason=reassignments_exhausted"));
        Assert.Equal(0, await AdminCountAsync("&minAttempts=2"));
        Assert.Equal(0, await AdminCountAsync($"&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}"));
        await (await admin.GetAsync("/api/admin/dead-letters?workerId=not-an-id&minAttempts=0")).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await admin.PostJsonAsync("/api/admin/dead-letters/redrive", new { limit = 501 })).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await admin.PostJsonAsync("/api/admin/dead-letters/redrive", new { from = "yesterday" })).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var bulk = await (await admin.PostJsonAsync("/api/admin/dead-letters/redrive", new { workerId = worker.Id })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((1, 1, 0), (bulk.GetProperty("matched").GetInt32(), bulk.GetProperty("redriven").GetInt32(), bulk.GetProperty("unfunded").GetInt32()));
        Assert.Empty((await (await client.GetAsync("/api/dead-letters")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.NotEqual("DeadLettered", (await (await client.GetAsync($"/api/tasks/{taskId}")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_socket_that_never_says_hello_gets_no_offers()
    {
        var worker = await WorkerAsync();
        await using var socket = await ConnectAsync(worker.ApiKey);
        var nonce = (await socket.ReceiveAsync()).GetProperty("nonce").GetString()!;
        var (_, taskId) = await SubmitAsync("waiting");

        // Frames arrive in order: the pong is the very next frame, so nothing was offered before it.
        await socket.SendAsync("ping", null);
        Assert.Equal("pong", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        await socket.RequestAsync("hello", new { workerId = worker.Id, nonce, signature = Sign(worker.Key, WorkerProof.HelloMessage(worker.Id, nonce)) }, "ack");
        var offer = await socket.NextOfferAsync(taskId);
        Assert.Equal(1, offer.GetProperty("lease").GetInt64());
    }

    [Fact]
    public async Task A_socket_must_bind_a_worker_with_a_valid_signature_before_anything_else()
    {
        var worker = await WorkerAsync();
        var stranger = await WorkerAsync();
        await using var socket = await ConnectAsync(worker.ApiKey);
        var nonce = (await socket.ReceiveAsync()).GetProperty("nonce").GetString()!;

        var early = await socket.RequestAsync("accept", new { taskId = "tsk_x", lease = 1 }, "error");
        Assert.Equal("forbidden", early.GetProperty("code").GetString());
        var forged = await socket.RequestAsync("hello", new { workerId = worker.Id, nonce, signature = Convert.ToBase64String(new byte[64]) }, "error");
        Assert.Equal("forbidden", forged.GetProperty("code").GetString());
        var replayed = await socket.RequestAsync("hello", new { workerId = worker.Id, nonce = "old", signature = Sign(worker.Key, WorkerProof.HelloMessage(worker.Id, "old")) }, "error");
        Assert.Equal("forbidden", replayed.GetProperty("code").GetString());
        var foreign = await socket.RequestAsync("hello", new { workerId = stranger.Id, nonce, signature = Sign(stranger.Key, WorkerProof.HelloMessage(stranger.Id, nonce)) }, "error");
        Assert.Equal("forbidden", foreign.GetProperty("code").GetString());
        await socket.RequestAsync("ping", null, "pong");
    }

    [Fact]
    public async Task Malformed_unknown_forbidden_and_oversized_messages_are_refused_and_nothing_else_is_affected()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        await using var socket = await ConnectAsync(key);
        await using var bystander = await ConnectAsync(key);
        Assert.Equal("challenge", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        Assert.Equal("challenge", (await bystander.ReceiveAsync()).GetProperty("type").GetString());

        await socket.SendRawAsync("this is not json");
        var malformed = await socket.ReceiveAsync();
        Assert.Equal(("error", "validation_failed"), (malformed.GetProperty("type").GetString(), malformed.GetProperty("code").GetString()));
        await socket.SendRawAsync("""{"id":"7"}""");
        Assert.Equal("validation_failed", (await socket.ReceiveAsync()).GetProperty("code").GetString());
        Assert.Equal("validation_failed", (await socket.RequestAsync("teleport", null, "error")).GetProperty("code").GetString());
        Assert.Equal("not_found", (await socket.RequestAsync("subscribe", new { topic = "admin" }, "error")).GetProperty("code").GetString());
        Assert.Equal("not_found", (await socket.RequestAsync("subscribe", new { topic = "account:acc_someone_else" }, "error")).GetProperty("code").GetString());
        await socket.RequestAsync("ping", null, "pong");

        // A frame over 4 MiB closes that socket with 1009; the other one carries on.
        await socket.SendRawAsync(new string('x', (4 * 1024 * 1024) + 1));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await socket.ClosedWithAsync());
        await bystander.RequestAsync("ping", null, "pong");
    }

    [Fact]
    public async Task Sockets_need_a_key_or_a_single_use_ticket()
    {
        Assert.Equal((WebSocketCloseStatus)4401, await TestSocket.ClosedAtOnceAsync(gateway, "ws"));

        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        var ticket = (await (await client.PostJsonAsync("/api/realtime/tickets", new { })).JsonAsync(HttpStatusCode.Created)).GetProperty("ticket").GetString();
        var ws = gateway.Factory.Server.CreateWebSocketClient();
        using (var socket = await ws.ConnectAsync(new Uri(gateway.Factory.Server.BaseAddress, $"ws?ticket={ticket}"), default))
        {
            Assert.Equal(WebSocketState.Open, socket.State);
        }

        Assert.Equal((WebSocketCloseStatus)4401, await TestSocket.ClosedAtOnceAsync(gateway, $"ws?ticket={ticket}"));
    }

    [Fact]
    public async Task Account_events_arrive_in_order_with_consecutive_offsets_and_replay_after_a_reconnect()
    {
        var (client, taskId, apiKey) = await SubmitWithKeyAsync("watched");
        string epoch;
        long offset;
        await using (var socket = await ConnectAsync(apiKey))
        {
            await socket.ReceiveAsync();
            var subscribed = await socket.RequestAsync("subscribe", new { topic = "account" }, "subscribed");
            Assert.True(subscribed.GetProperty("recovered").GetBoolean());
            epoch = subscribed.GetProperty("epoch").GetString()!;
            offset = subscribed.GetProperty("offset").GetInt64();
            await (await client.PostJsonAsync($"/api/tasks/{taskId}/cancel", new { })).JsonAsync(HttpStatusCode.OK);

            // The submission's own events may still be on their way from the outbox; they come first.
            var kinds = new List<string>();
            while (!kinds.Contains("task.cancelled") || kinds[^1] != "balance.changed")
            {
                var frame = await socket.ReceiveAsync();
                Assert.Equal("event", frame.GetProperty("type").GetString());
                Assert.Equal(epoch, frame.GetProperty("epoch").GetString());
                Assert.Equal(++offset, frame.GetProperty("offset").GetInt64());
                var e = frame.GetProperty("event");
                if (e.GetProperty("taskId").ValueKind == JsonValueKind.Null)
                {
                    // The deposit before the submission, if its event was still on its way too.
                    Assert.Equal("deposit", e.GetProperty("reason").GetString());
                    continue;
                }

                Assert.Equal(taskId, e.GetProperty("taskId").GetString());
                kinds.Add(e.GetProperty("kind").GetString()!);
            }

            Assert.Equal(["task.cancelled", "balance.changed"], kinds[^2..]);
            Assert.True(kinds.Count is 2 or 4, string.Join(", ", kinds));
        }

        // Events that happen while disconnected are replayed from the position the client kept.
        var second = await SubmitAnotherAsync(client);
        await using (var socket = await ConnectAsync(apiKey))
        {
            await socket.ReceiveAsync();
            await Eventually.Until(async () =>
            {
                await using var probe = await ConnectAsync(apiKey);
                await probe.ReceiveAsync();
                return (await probe.RequestAsync("subscribe", new { topic = "account" }, "subscribed")).GetProperty("offset").GetInt64() >= offset + 2;
            }, TimeSpan.FromSeconds(20), "the new task's events to reach the topic");
            var resumed = await socket.RequestAsync("subscribe", new { topic = $"task:{second}", since = new { epoch, offset } }, "subscribed");
            Assert.True(resumed.GetProperty("recovered").GetBoolean());
            var replayed = await socket.ReceiveAsync();
            Assert.Equal(second, replayed.GetProperty("event").GetProperty("taskId").GetString());
            Assert.Equal("task.queued", replayed.GetProperty("event").GetProperty("kind").GetString());

            var lost = await socket.RequestAsync("subscribe", new { topic = "account", since = new { epoch = "ep_gone", offset = 3 } }, "subscribed");
            Assert.False(lost.GetProperty("recovered").GetBoolean());
        }
    }

    [Fact]
    public async Task Nobody_subscribes_to_another_accounts_task_or_worker()
    {
        var (_, taskId, _) = await SubmitWithKeyAsync("private");
        var worker = await WorkerAsync();
        var (_, strangerKey) = await gateway.SignUpAsync("client");
        await using var socket = await ConnectAsync(strangerKey);
        await socket.ReceiveAsync();
        Assert.Equal("not_found", (await socket.RequestAsync("subscribe", new { topic = $"task:{taskId}" }, "error")).GetProperty("code").GetString());
        Assert.Equal("not_found", (await socket.RequestAsync("subscribe", new { topic = $"worker:{worker.Id}" }, "error")).GetProperty("code").GetString());
        Assert.Equal("not_found", (await socket.RequestAsync("subscribe", new { topic = "admin" }, "error")).GetProperty("code").GetString());

        await using var admin = await ConnectAsync(gateway.AdminKey);
        await admin.ReceiveAsync();
        Assert.Equal("admin", (await admin.RequestAsync("subscribe", new { topic = "admin" }, "subscribed")).GetProperty("topic").GetString());
    }

    [Fact]
    public async Task A_connection_holds_at_most_64_subscriptions_and_the_65th_is_refused_without_harm()
    {
        var (client, first, key) = await SubmitWithKeyAsync("many");
        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = "90" })).JsonAsync(HttpStatusCode.Created);
        var tasks = new List<string> { first };
        while (tasks.Count < 64)
        {
            tasks.Add(await SubmitAnotherAsync(client));
        }

        await using var socket = await ConnectAsync(key);
        await socket.ReceiveAsync();
        await socket.RequestAsync("subscribe", new { topic = "account" }, "subscribed");
        foreach (var task in tasks.Take(63))
        {
            await socket.RequestAsync("subscribe", new { topic = $"task:{task}" }, "subscribed");
        }

        var refused = await socket.RequestAsync("subscribe", new { topic = $"task:{tasks[^1]}" }, "error");
        Assert.Equal("validation_failed", refused.GetProperty("code").GetString());
        Assert.Contains("64", refused.GetProperty("message").GetString());

        // Subscribing again to a topic already held is not a 65th; and the ones held still deliver.
        await socket.RequestAsync("subscribe", new { topic = $"task:{tasks[0]}" }, "subscribed");
        await (await client.PostJsonAsync($"/api/tasks/{tasks[0]}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        while (true)
        {
            var frame = await socket.ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "event" && frame.GetProperty("topic").GetString() == $"task:{tasks[0]}"
                && frame.GetProperty("event").GetProperty("kind").GetString() == "task.cancelled")
            {
                break;
            }
        }

        await socket.RequestAsync("unsubscribe", new { topic = $"task:{tasks[1]}" }, "ack");
        await socket.RequestAsync("subscribe", new { topic = $"task:{tasks[^1]}" }, "subscribed");
    }

    [Fact]
    public async Task The_sockets_of_one_account_on_a_silo_share_one_topic_subscription_and_release_it_when_they_close()
    {
        var (client, taskId, key) = await SubmitWithKeyAsync("shared");
        var account = (await (await client.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetString();
        var hub = gateway.Factory.Services.GetRequiredService<TopicHub>();
        var sockets = new List<TestSocket>();
        for (var i = 0; i < 10; i++)
        {
            var socket = await ConnectAsync(key);
            sockets.Add(socket);
            await socket.ReceiveAsync();
            await socket.RequestAsync("subscribe", new { topic = i == 0 ? $"task:{taskId}" : "account" }, "subscribed");
        }

        Assert.Equal(10, hub.HoldersOf($"account:{account}"));
        await (await client.PostJsonAsync($"/api/tasks/{taskId}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        foreach (var socket in sockets)
        {
            while ((await socket.ReceiveAsync()) is var frame
                && !(frame.GetProperty("type").GetString() == "event" && frame.GetProperty("event").GetProperty("kind").GetString() == "task.cancelled"))
            {
            }
        }

        foreach (var socket in sockets)
        {
            await socket.DisposeAsync();
        }

        await Eventually.Until(() => Task.FromResult(hub.HoldersOf($"account:{account}") == 0), TimeSpan.FromSeconds(10), "the silo to let the topic go");
    }

    [Fact]
    public async Task Online_workers_show_on_the_public_map_only_three_to_a_cell_and_the_network_topic_streams_each_change()
    {
        // A cell of this test's own: no other test registers a location.
        var (lat, lon) = (Random.Shared.Next(-80, 80), Random.Shared.Next(-170, 170));
        var (_, watcherKey) = await gateway.SignUpAsync("client");
        await using var watcher = await ConnectAsync(watcherKey);
        await watcher.ReceiveAsync();
        await watcher.RequestAsync("subscribe", new { topic = "network" }, "subscribed");

        var workers = new List<TestSocket>();
        for (var i = 0; i < 3; i++)
        {
            var worker = await WorkerAsync(location: new { lat = lat + (i * 0.1), lon = lon - (i * 0.1) });
            var socket = await ConnectAsync(worker.ApiKey);
            workers.Add(socket);
            var nonce = (await socket.ReceiveAsync()).GetProperty("nonce").GetString()!;
            await socket.RequestAsync("hello", new { workerId = worker.Id, nonce, signature = Sign(worker.Key, WorkerProof.HelloMessage(worker.Id, nonce)) }, "ack");
        }

        // The cell is hidden while it has fewer than three workers, so the first time it shows it has three.
        var appeared = await NextCellUpdateAsync(watcher, lat, lon);
        Assert.Equal(3, appeared.GetProperty("workers").GetInt32());
        using var anonymous = gateway.Client();
        var map = await (await anonymous.GetAsync("/api/network/map")).JsonAsync(HttpStatusCode.OK);
        var cell = Assert.Single(map.GetProperty("cells").EnumerateArray(), c => c.GetProperty("lat").GetInt32() == lat && c.GetProperty("lon").GetInt32() == lon);
        Assert.Equal(["lat", "lon", "workers", "activeTasks"], cell.EnumerateObject().Select(p => p.Name));

        // One goes offline: the cell drops below three and leaves the map.
        await workers[0].DisposeAsync();
        Assert.Equal(0, (await NextCellUpdateAsync(watcher, lat, lon)).GetProperty("workers").GetInt32());
        map = await (await anonymous.GetAsync("/api/network/map")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(map.GetProperty("cells").EnumerateArray(), c => c.GetProperty("lat").GetInt32() == lat && c.GetProperty("lon").GetInt32() == lon);
        foreach (var socket in workers.Skip(1))
        {
            await socket.DisposeAsync();
        }
    }

    private static async Task<JsonElement> NextCellUpdateAsync(TestSocket watcher, int lat, int lon)
    {
        while (true)
        {
            var frame = await watcher.ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "event" && frame.GetProperty("topic").GetString() == "network"
                && frame.GetProperty("event").GetProperty("kind").GetString() == "network.updated"
                && frame.GetProperty("event").GetProperty("cells").EnumerateArray()
                    .FirstOrDefault(c => c.GetProperty("lat").GetInt32() == lat && c.GetProperty("lon").GetInt32() == lon) is { ValueKind: JsonValueKind.Object } cell)
            {
                return cell;
            }
        }
    }

    private async Task<(HttpClient Client, string TaskId, string ApiKey)> SubmitWithKeyAsync(string input)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        var client = gateway.Client(key);
        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = "10" })).JsonAsync(HttpStatusCode.Created);
        return (client, await SubmitAnotherAsync(client, input), key);
    }

    private static async Task<string> SubmitAnotherAsync(HttpClient client, string input = "again")
    {
        var module = new ByteArrayContent(TestModules.Wasm("echo"));
        module.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var moduleId = (await (await client.PostAsync(new Uri("/api/modules", UriKind.Relative), module)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var task = await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Convert.ToBase64String(Encoding.UTF8.GetBytes(input)), price = "0.5" }))
            .JsonAsync(HttpStatusCode.Created);
        return task.GetProperty("id").GetString()!;
    }

    private async Task<(string Id, string ApiKey, Key Key)> WorkerAsync(int capacity = 1, object? location = null)
    {
        var (id, apiKey, key, _) = await TestWorkers.RegisterAsync(gateway, capacity, location);
        return (id, apiKey, key);
    }

    private async Task<(HttpClient Client, string TaskId)> SubmitAsync(string input)
    {
        var (client, taskId, _) = await SubmitWithKeyAsync(input);
        return (client, taskId);
    }

    private Task<TestSocket> ConnectAsync(string apiKey) => TestSocket.ConnectAsync(gateway, apiKey);

    private static string Sign(Key key, byte[] message) => TestWorkers.Sign(key, message);
}
