using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using Gstd.GatewayTests.Realtime;
using Gstd.GatewayTests.Tasks;
using Gstd.Protocol;
using Gstd.Testing;
using NSec.Cryptography;

namespace Gstd.GatewayTests.Security;

/// <summary>
/// The hostile-input corpus (<see cref="HostileCorpus"/>) against a real gateway: every case gets a 4xx problem+json
/// with a code (or an error frame, the socket staying open), never a 5xx, and the victim's money, tasks and journal
/// are as they were.
/// </summary>
public sealed class HostileInputTests(HostileGateway gateway) : IClassFixture<HostileGateway>
{
    [Fact]
    public async Task Every_hostile_request_is_refused_with_a_code_and_changes_nothing()
    {
        var scene = await SceneAsync();
        var before = await scene.VictimStateAsync();
        var cases = HostileCorpus.Http(scene.Targets).ToList();
        var failures = new List<string>();
        foreach (var hostile in cases)
        {
            using var request = new HttpRequestMessage(hostile.Method, new Uri(hostile.Path, UriKind.Relative));
            if (hostile.Body is not null)
            {
                request.Content = new StringContent(hostile.Body, Encoding.UTF8, "application/json");
            }

            var key = hostile.Who switch
            {
                Caller.Attacker => scene.AttackerKey,
                Caller.Admin => gateway.AdminKey,
                _ => null,
            };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var client = gateway.Client();
            using var response = await client.SendAsync(request);
            if (await RefusalProblemAsync(hostile, response) is { } failure)
            {
                failures.Add($"{hostile.Name}: {failure}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures));
        Assert.True(cases.Count >= 150, $"The HTTP corpus has {cases.Count} cases.");
        Assert.Equal(before, await scene.VictimStateAsync());
    }

    [Fact]
    public async Task Every_hostile_frame_gets_an_error_frame_with_a_code_and_the_socket_stays_usable()
    {
        var scene = await SceneAsync();
        var before = await scene.VictimStateAsync();
        var cases = HostileCorpus.Socket(scene.Targets).ToList();
        var failures = new List<string>();
        await using var socket = await TestSocket.ConnectAsync(gateway, scene.AttackerKey);
        var nonce = (await socket.ReceiveAsync()).GetProperty("nonce").GetString()!;
        var hello = false;
        var number = 0;
        foreach (var hostile in cases)
        {
            if (hostile.AfterHello && !hello)
            {
                var signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(scene.AttackerWorkerKey, WorkerProof.HelloMessage(scene.Targets.AttackerWorker, nonce)));
                await socket.RequestAsync("hello", new { workerId = scene.Targets.AttackerWorker, nonce, signature }, "ack");
                hello = true;
            }

            var id = "hostile-" + ++number;
            await socket.SendRawAsync(hostile.Frame.Replace("{id}", id, StringComparison.Ordinal).Replace("{nonce}", nonce, StringComparison.Ordinal));
            var reply = await socket.ReplyAsync(hostile.AnswersWithoutId ? null : id);
            if (reply is null)
            {
                failures.Add($"{hostile.Name}: the socket closed ({socket.CloseStatus} {socket.CloseDescription})");
                break;
            }

            var type = reply.Value.GetProperty("type").GetString();
            var code = reply.Value.TryGetProperty("code", out var c) ? c.GetString() : null;
            if (type != "error" || string.IsNullOrEmpty(code) || (hostile.Code is not null && code != hostile.Code))
            {
                failures.Add($"{hostile.Name}: {reply}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures));
        Assert.True(cases.Count >= 100, $"The socket corpus has {cases.Count} cases.");
        await socket.RequestAsync("ping", null, "pong");
        Assert.Equal(before, await scene.VictimStateAsync());
    }

    [Fact]
    public async Task Random_frames_made_of_hostile_parts_each_get_one_answer_and_never_close_the_socket()
    {
        var scene = await SceneAsync();
        string[] types = ["ping", "subscribe", "unsubscribe", "hello", "accept", "progress", "decline", "fail", "result", "launch"];
        string[] fields = ["topic", "since", "workerId", "nonce", "signature", "taskId", "lease", "error", "output", "outputSha256", "powNonce", "fuelUsed"];
        string[] values =
        [
            "null", "0", "-1", "1", HostileCorpus.Overflowing, HostileCorpus.HugeNumber, "\"x\"", HostileCorpus.Nul, HostileCorpus.LoneSurrogate, "[]", "{}",
            "true", "\"account\"", "\"18446744073709551616\"", "{\"epoch\":\"e\",\"offset\":1}", "{\"code\":\"trap\",\"message\":\"m\"}",
            $"\"{scene.Targets.VictimTask}\"", $"\"{scene.Targets.AttackerWorker}\"",
        ];
        var frames = Gen.Select(Gen.Int[0, types.Length - 1], Gen.Select(Gen.Int[0, fields.Length - 1], Gen.Int[0, values.Length - 1]).Array[0, 6],
            (type, parts) => (Type: types[type], Fields: parts.DistinctBy(p => p.Item1).Select(p => (fields[p.Item1], values[p.Item2])).ToArray()));
        await using var socket = await TestSocket.ConnectAsync(gateway, scene.AttackerKey);
        var number = 0;
        await frames.SampleAsync(async frame =>
        {
            var id = "fuzz-" + ++number;
            await socket.SendRawAsync("{\"type\":\"" + frame.Type + "\",\"id\":\"" + id + "\"" + string.Concat(frame.Fields.Select(f => $",\"{f.Item1}\":{f.Item2}")) + "}");
            var reply = await socket.ReplyAsync(id);
            Assert.True(reply is not null, $"The socket closed ({socket.CloseStatus} {socket.CloseDescription}) after {frame}");
            Assert.Contains(reply.Value.GetProperty("type").GetString(), new[] { "ack", "error", "pong", "subscribed" });
        }, iter: 150, threads: 1);
        await socket.RequestAsync("ping", null, "pong");
    }

    /// <summary>Why a response is not the refusal the case asks for; null when it is.</summary>
    private static async Task<string?> RefusalProblemAsync(HttpCase hostile, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var shown = text.Length > 300 ? text[..300] + "…" : text;
        if (status is < 400 or >= 500 || (hostile.Status is { } expected && status != expected))
        {
            return $"answered {status} {shown}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"answered {status} as {response.Content.Headers.ContentType?.MediaType}: {shown}";
        }

        var problem = JsonDocument.Parse(text).RootElement;
        var code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
        if (string.IsNullOrEmpty(code) || (hostile.Code is not null && code != hostile.Code))
        {
            return $"answered code {code}: {shown}";
        }

        if (hostile.Field is { } field
            && !(problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty(field, out _)))
        {
            return $"did not name {field}: {shown}";
        }

        return null;
    }

    private async Task<Scene> SceneAsync()
    {
        var (victim, victimModule) = await ClientSteps.ClientWithModuleAsync(gateway, "50");
        var victimMe = await (await victim.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        var blob = new ByteArrayContent("victim's secret"u8.ToArray());
        blob.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var victimBlob = (await (await victim.PostAsync(new Uri("/api/blobs", UriKind.Relative), blob)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var victimTask = (await (await victim.PostJsonAsync("/api/tasks", new { moduleId = victimModule, inputId = victimBlob, price = "1", minTrust = 1.0 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var victimKeyId = (await (await victim.GetAsync("/api/accounts/me/keys")).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("keyId").GetString()!;

        var (attackerId, attackerKey) = await gateway.SignUpAsync("client", "worker");
        using (var admin = gateway.Client(gateway.AdminKey))
        {
            await (await admin.PostJsonAsync($"/api/admin/accounts/{attackerId}/approve-worker", new { })).JsonAsync(HttpStatusCode.OK);
        }

        using var attacker = gateway.Client(attackerKey);
        await (await attacker.PostJsonAsync("/api/accounts/me/deposits", new { amount = "10" })).JsonAsync(HttpStatusCode.Created);
        var module = new ByteArrayContent(TestModules.Wasm("tiny"));
        module.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var attackerModule = (await (await attacker.PostAsync(new Uri("/api/modules", UriKind.Relative), module)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var attackerTask = (await (await attacker.PostJsonAsync("/api/tasks", new { moduleId = attackerModule, input = "aGk=", price = "1", minTrust = 1.0 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var workerKey = Key.Create(SignatureAlgorithm.Ed25519);
        var attackerWorker = (await (await attacker.PostJsonAsync("/api/workers", new
        {
            name = "rig", publicKey = Convert.ToBase64String(workerKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)), capabilities = new[] { "wasm" }, capacity = 1,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        return new Scene(victim, attackerKey, workerKey,
            new HostileCorpus.Targets(attackerModule, attackerTask, attackerWorker, victimMe.GetProperty("id").GetString()!, victimTask, victimModule, victimBlob, victimKeyId));
    }

    private sealed record Scene(HttpClient Victim, string AttackerKey, Key AttackerWorkerKey, HostileCorpus.Targets Targets)
    {
        /// <summary>What the victim would notice changing: balance, tasks with their states, journal lines.</summary>
        public async Task<string> VictimStateAsync()
        {
            var me = await (await Victim.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
            var tasks = await (await Victim.GetAsync("/api/tasks")).JsonAsync(HttpStatusCode.OK);
            var entries = await (await Victim.GetAsync("/api/ledger/entries")).JsonAsync(HttpStatusCode.OK);
            return string.Join("\n", me.GetProperty("balance").ToString(),
                string.Join(",", tasks.GetProperty("items").EnumerateArray().Select(t => $"{t.GetProperty("id")}:{t.GetProperty("status")}:{t.GetProperty("updatedAt")}")),
                entries.GetProperty("items").ToString());
        }
    }
}
