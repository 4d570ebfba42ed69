namespace Gstd.GatewayTests.Security;

/// <summary>Who sends a hostile request: nobody, the attacker (a client and worker account), or an admin.</summary>
public enum Caller
{
    Anonymous,
    Attacker,
    Admin,
}

/// <summary>
/// One hostile HTTP request and what it must get: a 4xx problem+json with a code, and where the case says so an exact
/// status, code and the field the errors name. <see cref="Body"/> is sent as it is (raw JSON text, not serialized).
/// </summary>
public sealed record HttpCase(string Name, HttpMethod Method, string Path, Caller Who, string? Body = null, int? Status = null, string? Code = null, string? Field = null)
{
    public override string ToString() => Name;
}

/// <summary>One hostile socket frame (raw text) and the error code it must get; the socket says hello first when <see cref="AfterHello"/>.</summary>
public sealed record SocketCase(string Name, string Frame, string? Code = null, bool AfterHello = false, bool AnswersWithoutId = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// The hostile-input corpus: wrong types, nulls, huge and tiny numbers, NUL and lone surrogates, deep nesting, huge
/// bodies and other accounts' ids, for every endpoint and every socket message type. Values are raw JSON text.
/// </summary>
public static class HostileCorpus
{
    public const string Nul = "\"a\\u0000b\"";
    public const string LoneSurrogate = "\"a\\ud800b\"";
    public const string HugeNumber = "123456789012345678901234567890";
    public const string Overflowing = "1e400";

    /// <summary>The ids the corpus aims at: the attacker's own and the victim's.</summary>
    public sealed record Targets(string AttackerModule, string AttackerTask, string AttackerWorker, string VictimId, string VictimTask, string VictimModule,
        string VictimBlob, string VictimKeyId);

    private static readonly string Deep = new string('[', 10_000) + new string(']', 10_000);
    private static readonly string LongText = "\"" + new string('x', 10_000) + "\"";

    /// <summary>Values no string field takes: each must be refused naming the field.</summary>
    private static readonly (string Name, string Json)[] NotAString =
        [("null", "null"), ("number", "42"), ("array", "[]"), ("object", "{}"), ("NUL", Nul), ("lone surrogate", LoneSurrogate)];

    /// <summary>Values no whole-number field takes.</summary>
    private static readonly (string Name, string Json)[] NotAWholeNumber =
        [("string", "\"5\""), ("fraction", "1.5"), ("negative", "-1"), ("huge", HugeNumber), ("overflowing", Overflowing), ("boolean", "true")];

    /// <summary>Values no money field takes.</summary>
    private static readonly (string Name, string Json)[] NotMoney =
        [("number", "0.5"), ("negative", "\"-1\""), ("exponent", "\"1e3\""), ("leading zero", "\"00.5\""), ("ten decimals", "\"0.0000000001\""),
         ("zero", "\"0\""), ("NUL", Nul), ("lone surrogate", LoneSurrogate), ("huge", "\"" + HugeNumber + "\"")];

    public static IEnumerable<HttpCase> Http(Targets t)
    {
        // Sign-up: names shown to others refuse control and bidi characters.
        var signUp = Body(("name", "\"mallory\""), ("roles", "[\"client\"]"));
        foreach (var (name, json) in NotAString.Concat([("control character", "\"bell\\u0007\""), ("newline", "\"two\\nlines\""),
                     ("right-to-left override", "\"evil\\u202egnp.exe\""), ("isolate", "\"x\\u2067y\""), ("blank", "\"   \""), ("too long", LongText)]))
        {
            yield return Field($"sign-up name {name}", HttpMethod.Post, "/api/accounts", Caller.Anonymous, signUp, "name", json);
        }

        foreach (var (name, json) in new[] { ("admin role", "[\"admin\"]"), ("no role", "[]"), ("role NUL", "[" + Nul + "]"), ("role number", "[1]"), ("role string", "\"client\"") })
        {
            yield return Field($"sign-up roles {name}", HttpMethod.Post, "/api/accounts", Caller.Anonymous, signUp, "roles", json);
        }

        // Keys.
        foreach (var (name, json) in NotAString.Concat([("unknown scope", "\"root\"")]))
        {
            yield return Field($"new key scope {name}", HttpMethod.Post, "/api/accounts/me/keys", Caller.Attacker, Body(("scope", "\"full\"")), "scope", json);
        }

        yield return new HttpCase("revoking the victim's key", HttpMethod.Delete, $"/api/accounts/me/keys/{t.VictimKeyId}", Caller.Attacker, Status: 404, Code: "not_found");
        yield return new HttpCase("revoking a key id holding a bell", HttpMethod.Delete, "/api/accounts/me/keys/key%07x", Caller.Attacker, Status: 400, Code: "validation_failed", Field: "keyId");

        // Money: the faucet and admin deposits.
        foreach (var (name, json) in NotMoney.Concat([("over the faucet's limit", "\"1001\"")]))
        {
            yield return Field($"faucet amount {name}", HttpMethod.Post, "/api/accounts/me/deposits", Caller.Attacker, Body(("amount", "\"1\"")), "amount", json);
        }

        var deposit = Body(("amount", "\"1\""), ("reference", "\"r-1\""));
        foreach (var (name, json) in NotMoney.Take(4))
        {
            yield return Field($"admin deposit amount {name}", HttpMethod.Post, $"/api/admin/accounts/{t.VictimId}/deposits", Caller.Admin, deposit, "amount", json);
        }

        foreach (var (name, json) in NotAString)
        {
            yield return Field($"admin deposit reference {name}", HttpMethod.Post, $"/api/admin/accounts/{t.VictimId}/deposits", Caller.Admin, deposit, "reference", json);
        }

        yield return new HttpCase("an attacker depositing to the victim as admin", HttpMethod.Post, $"/api/admin/accounts/{t.VictimId}/deposits", Caller.Attacker,
            deposit([]), Status: 403, Code: "forbidden");

        // Tasks.
        var submit = Body(("moduleId", $"\"{t.AttackerModule}\""), ("input", "\"aGk=\""), ("price", "\"1\""), ("minTrust", "1.0"));
        foreach (var (name, json) in NotAString.Concat([("not a module id", "\"module\""), ("too long", LongText)]))
        {
            yield return Field($"task moduleId {name}", HttpMethod.Post, "/api/tasks", Caller.Attacker, submit, "moduleId", json);
        }

        yield return new HttpCase("task with the victim's module", HttpMethod.Post, "/api/tasks", Caller.Attacker,
            submit([("moduleId", $"\"{t.VictimModule}\"")]), Status: 400, Code: "module_not_found");
        yield return new HttpCase("task with the victim's blob as input", HttpMethod.Post, "/api/tasks", Caller.Attacker,
            submit([("input", "null"), ("inputId", $"\"{t.VictimBlob}\"")]), Status: 400, Code: "validation_failed", Field: "inputId");
        foreach (var (name, json) in new[] { ("not base64", "\"***\""), ("NUL", Nul), ("lone surrogate", LoneSurrogate), ("number", "5") })
        {
            yield return Field($"task input {name}", HttpMethod.Post, "/api/tasks", Caller.Attacker, submit, "input", json);
        }

        foreach (var (name, json) in new[] { ("lone surrogate", LoneSurrogate), ("NUL", Nul), ("not a blob id", "\"sha256:xyz\"") })
        {
            yield return new HttpCase($"task inputId {name}", HttpMethod.Post, "/api/tasks", Caller.Attacker,
                submit([("input", "null"), ("inputId", json)]), Status: 400, Code: "validation_failed", Field: "inputId");
        }

        foreach (var (name, json) in NotMoney.Concat([("over the maximum", "\"1000001\"")]))
        {
            yield return Field($"task price {name}", HttpMethod.Post, "/api/tasks", Caller.Attacker, submit, "price", json);
        }

        foreach (var field in new[] { "timeoutSeconds", "maxFuel", "memoryLimitMb", "priority", "maxAttempts", "replicas", "reviewSeconds", "queueTimeoutSeconds" })
        {
            foreach (var (name, json) in NotAWholeNumber)
            {
                yield return Field($"task {field} {name}", HttpMethod.Post, "/api/tasks", Caller.Attacker, submit, field, json);
            }
        }

        foreach (var (name, json) in new[] { ("string", "\"1\""), ("above one", "2"), ("negative", "-0.1"), ("overflowing", Overflowing), ("array", "[1]") })
        {
            yield return Field($"task minTrust {name}", HttpMethod.Post, "/api/tasks", Caller.Attacker, submit, "minTrust", json);
        }

        yield return new HttpCase("task body not JSON", HttpMethod.Post, "/api/tasks", Caller.Attacker, "{\"moduleId\":", Status: 400, Code: "validation_failed");
        yield return new HttpCase("task body an array", HttpMethod.Post, "/api/tasks", Caller.Attacker, "[1,2]", Status: 400, Code: "validation_failed");
        yield return new HttpCase("task body nested 10,000 deep", HttpMethod.Post, "/api/tasks", Caller.Attacker, Deep, Status: 400, Code: "validation_failed");
        yield return new HttpCase("task body of 1 MiB", HttpMethod.Post, "/api/tasks", Caller.Attacker,
            submit([("input", "\"" + new string('A', 1 << 20) + "\"")]), Status: 413, Code: "payload_too_large");

        // Others' tasks and odd ids in paths.
        foreach (var action in new[] { "cancel", "accept", "redrive" })
        {
            yield return new HttpCase($"{action} the victim's task", HttpMethod.Post, $"/api/tasks/{t.VictimTask}/{action}", Caller.Attacker, "{}", Status: 404, Code: "not_found");
        }

        yield return new HttpCase("read the victim's task", HttpMethod.Get, $"/api/tasks/{t.VictimTask}", Caller.Attacker, Status: 404, Code: "not_found");
        yield return new HttpCase("dispute the victim's task", HttpMethod.Post, $"/api/tasks/{t.VictimTask}/disputes", Caller.Attacker,
            "{\"reason\":\"other\",\"details\":\"x\"}", Status: 404, Code: "not_found");
        yield return new HttpCase("task id holding a tab", HttpMethod.Get, "/api/tasks/tsk_%09", Caller.Attacker, Status: 400, Code: "validation_failed", Field: "id");
        yield return new HttpCase("task id holding a control character", HttpMethod.Post, "/api/tasks/tsk_%1b/cancel", Caller.Attacker, "{}", Status: 400, Code: "validation_failed", Field: "id");
        yield return new HttpCase("task id of 2,000 characters", HttpMethod.Get, "/api/tasks/" + new string('a', 2_000), Caller.Attacker, Status: 404, Code: "not_found");
        yield return new HttpCase("retry-now as a client", HttpMethod.Post, $"/api/admin/tasks/{t.VictimTask}/retry-now", Caller.Attacker, "{}", Status: 403, Code: "forbidden");

        var dispute = Body(("reason", "\"wrong_output\""), ("details", "\"bad\""));
        foreach (var (name, json) in NotAString.Concat([("unknown reason", "\"because\"")]))
        {
            yield return Field($"dispute reason {name}", HttpMethod.Post, $"/api/tasks/{t.AttackerTask}/disputes", Caller.Attacker, dispute, "reason", json);
        }

        foreach (var (name, json) in NotAString.Skip(1).Concat([("too long", LongText)]))
        {
            yield return Field($"dispute details {name}", HttpMethod.Post, $"/api/tasks/{t.AttackerTask}/disputes", Caller.Attacker, dispute, "details", json);
        }

        var decision = Body(("outcome", "\"split\""), ("workerShare", "0.5"), ("note", "\"n\""));
        foreach (var (name, json) in new[] { ("string", "\"0.5\""), ("above one", "1.5"), ("five decimals", "0.12345"), ("negative", "-0.5"), ("overflowing", Overflowing) })
        {
            yield return Field($"decision workerShare {name}", HttpMethod.Post, "/api/admin/disputes/dsp_nothing/decision", Caller.Admin, decision, "workerShare", json);
        }

        foreach (var (name, json) in NotAString)
        {
            yield return Field($"decision note {name}", HttpMethod.Post, "/api/admin/disputes/dsp_nothing/decision", Caller.Admin, decision, "note", json);
        }

        yield return new HttpCase("read a dispute that is not there", HttpMethod.Get, "/api/disputes/dsp_nothing", Caller.Attacker, Status: 404, Code: "not_found");

        // Workers.
        var register = Body(("name", "\"rig\""), ("publicKey", "\"" + Convert.ToBase64String(new byte[32]) + "\""), ("capabilities", "[\"wasm\"]"), ("capacity", "2"));
        foreach (var (name, json) in NotAString.Concat([("right-to-left override", "\"rig\\u202e\""), ("control character", "\"rig\\u0001\"")]))
        {
            yield return Field($"worker name {name}", HttpMethod.Post, "/api/workers", Caller.Attacker, register, "name", json);
        }

        foreach (var (name, json) in NotAString.Concat([("not base64", "\"***\""), ("31 bytes", "\"" + Convert.ToBase64String(new byte[31]) + "\"")]))
        {
            yield return Field($"worker publicKey {name}", HttpMethod.Post, "/api/workers", Caller.Attacker, register, "publicKey", json);
        }

        foreach (var (name, json) in new[] { ("string", "\"wasm\""), ("number inside", "[1]"), ("NUL inside", "[" + Nul + "]"), ("unknown", "[\"gpu\"]") })
        {
            yield return Field($"worker capabilities {name}", HttpMethod.Post, "/api/workers", Caller.Attacker, register, "capabilities", json);
        }

        foreach (var (name, json) in NotAWholeNumber.Concat([("zero", "0"), ("ten thousand", "10000")]))
        {
            yield return Field($"worker capacity {name}", HttpMethod.Post, "/api/workers", Caller.Attacker, register, "capacity", json);
            yield return Field($"worker capacity change {name}", HttpMethod.Patch, $"/api/workers/{t.AttackerWorker}", Caller.Attacker, Body(("capacity", "1")), "capacity", json);
        }

        foreach (var (name, json) in new[] { ("latitude 91", "{\"lat\":91,\"lon\":0}"), ("longitude string", "{\"lat\":0,\"lon\":\"x\"}"), ("array", "[1,2]"), ("overflowing", "{\"lat\":1e400,\"lon\":0}") })
        {
            yield return new HttpCase($"worker location {name}", HttpMethod.Post, "/api/workers", Caller.Attacker, register([("location", json)]), Status: 400, Code: "validation_failed");
        }

        yield return new HttpCase("change a worker that is not ours", HttpMethod.Patch, "/api/workers/wrk_nothing", Caller.Attacker, "{\"capacity\":1}", Status: 404, Code: "not_found");
        yield return new HttpCase("suspend a worker as a client", HttpMethod.Post, $"/api/admin/workers/{t.AttackerWorker}/suspend", Caller.Attacker, "{}", Status: 403, Code: "forbidden");
        yield return new HttpCase("suspend a worker id holding DEL", HttpMethod.Post, "/api/admin/workers/wrk%7f/suspend", Caller.Admin, "{}", Status: 400, Code: "validation_failed", Field: "id");

        // Content.
        yield return new HttpCase("download the victim's module", HttpMethod.Get, $"/api/modules/{t.VictimModule}", Caller.Attacker, Status: 404, Code: "not_found");
        yield return new HttpCase("download the victim's blob", HttpMethod.Get, $"/api/blobs/{t.VictimBlob}", Caller.Attacker, Status: 404, Code: "not_found");
        yield return new HttpCase("download the victim's blob for another's task", HttpMethod.Get, $"/api/blobs/{t.VictimBlob}?taskId={t.VictimTask}", Caller.Attacker,
            Status: 404, Code: "not_found");
        yield return new HttpCase("download with a taskId holding NUL", HttpMethod.Get, $"/api/modules/{t.AttackerModule}?taskId=%00", Caller.Attacker,
            Status: 400, Code: "validation_failed", Field: "taskId");

        // Queries: times outside what can be stored, NUL, bad numbers and cursors, for every list.
        foreach (var (path, who) in new[]
                 {
                     ("/api/tasks", Caller.Attacker), ("/api/ledger/entries", Caller.Attacker), ("/api/analytics/spend", Caller.Attacker),
                     ("/api/dead-letters", Caller.Attacker), ("/api/admin/dead-letters", Caller.Admin),
                 })
        {
            yield return new HttpCase($"{path} to the end of 9999", HttpMethod.Get, path + "?to=9999-12-31T23:59:59Z", who, Status: 400, Code: "validation_failed", Field: "to");
            yield return new HttpCase($"{path} from year 1", HttpMethod.Get, path + "?from=0001-01-01T00:00:00Z", who, Status: 400, Code: "validation_failed", Field: "from");
            yield return new HttpCase($"{path} from -infinity", HttpMethod.Get, path + "?from=-infinity", who, Status: 400, Code: "validation_failed", Field: "from");
            yield return new HttpCase($"{path} to with an offset past year 9999", HttpMethod.Get, path + "?to=9999-12-31T23:00:00-05:00", who, Status: 400, Code: "validation_failed", Field: "to");
        }

        foreach (var (path, who) in new[] { ("/api/tasks", Caller.Attacker), ("/api/ledger/entries", Caller.Attacker), ("/api/dead-letters", Caller.Attacker), ("/api/disputes", Caller.Attacker) })
        {
            yield return new HttpCase($"{path} limit 0", HttpMethod.Get, path + "?limit=0", who, Status: 400, Code: "validation_failed", Field: "limit");
            yield return new HttpCase($"{path} limit 501", HttpMethod.Get, path + "?limit=501", who, Status: 400, Code: "validation_failed", Field: "limit");
            yield return new HttpCase($"{path} limit not a number", HttpMethod.Get, path + "?limit=ten", who, Status: 400, Code: "validation_failed", Field: "limit");
            yield return new HttpCase($"{path} limit huge", HttpMethod.Get, path + "?limit=" + HugeNumber, who, Status: 400, Code: "validation_failed", Field: "limit");
            yield return new HttpCase($"{path} forged cursor", HttpMethod.Get, path + "?cursor=AAAA", who, Status: 400, Code: "validation_failed", Field: "cursor");
            yield return new HttpCase($"{path} cursor holding NUL", HttpMethod.Get, path + "?cursor=%00", who, Status: 400, Code: "validation_failed", Field: "cursor");
        }

        yield return new HttpCase("tasks with an unknown status", HttpMethod.Get, "/api/tasks?status=Bogus", Caller.Attacker, Status: 400, Code: "validation_failed", Field: "status");
        yield return new HttpCase("tasks with a moduleId holding NUL", HttpMethod.Get, "/api/tasks?moduleId=%00", Caller.Attacker, Status: 400, Code: "validation_failed", Field: "moduleId");
        yield return new HttpCase("spend by the week", HttpMethod.Get, "/api/analytics/spend?bucket=week", Caller.Attacker, Status: 400, Code: "validation_failed", Field: "bucket");
        yield return new HttpCase("spend over 1,441 minutes", HttpMethod.Get, "/api/analytics/spend?bucket=minute&from=2026-01-01T00:00:00Z&to=2026-01-02T00:01:00Z",
            Caller.Attacker, Status: 400, Code: "validation_failed");
        yield return new HttpCase("dead letters with a reason holding NUL", HttpMethod.Get, "/api/dead-letters?reason=a%00b", Caller.Attacker, Status: 400, Code: "validation_failed", Field: "reason");
        yield return new HttpCase("dead letters with negative minAttempts", HttpMethod.Get, "/api/admin/dead-letters?minAttempts=-1", Caller.Admin, Status: 400, Code: "validation_failed", Field: "minAttempts");
        yield return new HttpCase("disputes with an unknown status", HttpMethod.Get, "/api/admin/disputes?status=Bogus", Caller.Admin, Status: 400, Code: "validation_failed", Field: "status");

        // A bulk redrive's filter fields: a filter it cannot read must redrive nothing, not everything.
        foreach (var (name, field, json) in new[]
                 {
                     ("from -infinity", "from", "\"-infinity\""), ("to the end of 9999", "to", "\"9999-12-31T23:59:59Z\""), ("minAttempts a string", "minAttempts", "\"1\""),
                     ("reason holding NUL", "reason", Nul), ("workerId a lone surrogate", "workerId", LoneSurrogate), ("an unknown field", "filter", "{\"reason\":\"x\"}"),
                 })
        {
            yield return new HttpCase($"bulk redrive {name}", HttpMethod.Post, "/api/admin/dead-letters/redrive", Caller.Admin, $"{{\"{field}\":{json}}}",
                Status: 400, Code: "validation_failed", Field: field);
        }

        // Credentials.
        yield return new HttpCase("no key", HttpMethod.Get, "/api/accounts/me", Caller.Anonymous, Status: 401, Code: "unauthorized");
        yield return new HttpCase("admin audit as a client", HttpMethod.Get, "/api/admin/audit", Caller.Attacker, Status: 403, Code: "forbidden");
        yield return new HttpCase("admin dispute queue as a client", HttpMethod.Get, "/api/admin/disputes", Caller.Attacker, Status: 403, Code: "forbidden");
    }

    public static IEnumerable<SocketCase> Socket(Targets t)
    {
        yield return new SocketCase("not JSON", "{\"type\":", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("a JSON array", "[1,2,3]", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("a JSON string", "\"ping\"", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("nested 10,000 deep", Deep, "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("no id", "{\"type\":\"ping\"}", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("id a number", "{\"type\":\"ping\",\"id\":7}", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("id a lone surrogate", "{\"type\":\"ping\",\"id\":" + LoneSurrogate + "}", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("id holding NUL", "{\"type\":\"ping\",\"id\":" + Nul + "}", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("id of 101 characters", "{\"type\":\"ping\",\"id\":\"" + new string('i', 101) + "\"}", "validation_failed", AnswersWithoutId: true);
        yield return new SocketCase("type null", "{\"type\":null,\"id\":\"{id}\"}", "validation_failed");
        yield return new SocketCase("type unknown", "{\"type\":\"launch\",\"id\":\"{id}\"}", "validation_failed");
        yield return new SocketCase("type a lone surrogate", "{\"type\":" + LoneSurrogate + ",\"id\":\"{id}\"}", "validation_failed");

        foreach (var type in new[] { "subscribe", "unsubscribe" })
        {
            foreach (var (name, json) in NotAString.Concat([("of 10,000 characters", "\"" + new string('t', 10_000) + "\"")]))
            {
                yield return new SocketCase($"{type} topic {name}", Frame(type, ("topic", json)), "validation_failed");
            }
        }

        yield return new SocketCase("subscribe without a topic", Frame("subscribe"), "validation_failed");
        yield return new SocketCase("subscribe to the victim's task", Frame("subscribe", ("topic", $"\"task:{t.VictimTask}\"")), "not_found");
        yield return new SocketCase("subscribe to the victim's account", Frame("subscribe", ("topic", $"\"account:{t.VictimId}\"")), "not_found");
        yield return new SocketCase("subscribe to admin", Frame("subscribe", ("topic", "\"admin\"")), "not_found");
        yield return new SocketCase("subscribe to a worker of nobody", Frame("subscribe", ("topic", "\"worker:wrk_nothing\"")), "not_found");
        foreach (var (name, json) in new[]
                 {
                     ("since a string", "\"0\""), ("since without an epoch", "{\"offset\":1}"), ("since epoch null", "{\"epoch\":null,\"offset\":1}"),
                     ("since epoch NUL", "{\"epoch\":" + Nul + ",\"offset\":1}"), ("since offset negative", "{\"epoch\":\"e\",\"offset\":-1}"),
                     ("since offset overflowing", "{\"epoch\":\"e\",\"offset\":" + Overflowing + "}"), ("since offset a string", "{\"epoch\":\"e\",\"offset\":\"5\"}"),
                     ("since offset huge", "{\"epoch\":\"e\",\"offset\":" + HugeNumber + "}"),
                 })
        {
            yield return new SocketCase($"subscribe {name}", Frame("subscribe", ("topic", "\"account\""), ("since", json)), "validation_failed");
        }

        // Worker messages before a hello are refused as such.
        foreach (var type in new[] { "accept", "progress", "decline", "fail", "result" })
        {
            yield return new SocketCase($"{type} before hello", Frame(type, ("taskId", $"\"{t.VictimTask}\""), ("lease", "1")), "forbidden");
        }

        var hello = new[] { ("workerId", $"\"{t.AttackerWorker}\""), ("nonce", "\"{nonce}\""), ("signature", "\"" + Convert.ToBase64String(new byte[64]) + "\"") };
        foreach (var field in new[] { "workerId", "nonce", "signature" })
        {
            foreach (var (name, json) in NotAString)
            {
                yield return new SocketCase($"hello {field} {name}", Frame("hello", Replace(hello, field, json)), "validation_failed");
            }
        }

        yield return new SocketCase("hello signature not base64", Frame("hello", Replace(hello, "signature", "\"***\"")), "validation_failed");
        // 32 KiB: larger messages close a socket not yet bound to a worker (1009), which SocketLimitTests shows.
        yield return new SocketCase("hello signature of 32 KiB", Frame("hello", Replace(hello, "signature", "\"" + new string('A', 32 * 1024) + "\"")), "validation_failed");
        yield return new SocketCase("hello with a wrong signature", Frame("hello", hello), "forbidden");
        yield return new SocketCase("hello with another connection's nonce", Frame("hello", Replace(hello, "nonce", "\"stolen\"")), "forbidden");
        yield return new SocketCase("hello for a worker that is not ours", Frame("hello", Replace(hello, "workerId", "\"wrk_nothing\"")), "forbidden");

        // Bound to the attacker's worker: every work message with every field wrong.
        foreach (var type in new[] { "accept", "progress", "decline" })
        {
            foreach (var (name, json) in NotAString.Take(5))
            {
                yield return new SocketCase($"{type} taskId {name}", Frame(type, ("taskId", json), ("lease", "1")), "validation_failed", AfterHello: true);
            }

            foreach (var (name, json) in NotAWholeNumber.Concat([("zero", "0")]))
            {
                yield return new SocketCase($"{type} lease {name}", Frame(type, ("taskId", $"\"{t.AttackerTask}\""), ("lease", json)), "validation_failed", AfterHello: true);
            }

            yield return new SocketCase($"{type} the victim's task", Frame(type, ("taskId", $"\"{t.VictimTask}\""), ("lease", "1")), "lease_expired", AfterHello: true);
        }

        var fail = new[] { ("taskId", $"\"{t.VictimTask}\""), ("lease", "1"), ("error", "{\"code\":\"trap\",\"message\":\"m\"}") };
        foreach (var (name, json) in new[]
                 {
                     ("error null", "null"), ("error a string", "\"trap\""), ("error code a number", "{\"code\":1,\"message\":\"m\"}"),
                     ("error message NUL", "{\"code\":\"trap\",\"message\":" + Nul + "}"), ("error message a lone surrogate", "{\"code\":\"trap\",\"message\":" + LoneSurrogate + "}"),
                     ("error code NUL", "{\"code\":" + Nul + ",\"message\":\"m\"}"), ("error without a message", "{\"code\":\"trap\"}"),
                 })
        {
            yield return new SocketCase($"fail {name}", Frame("fail", Replace(fail, "error", json)), "validation_failed", AfterHello: true);
        }

        yield return new SocketCase("fail the victim's task with a 1 MiB message", Frame("fail", Replace(fail, "error", "{\"code\":\"trap\",\"message\":\"" + new string('m', 1 << 20) + "\"}")),
            "lease_expired", AfterHello: true);

        var result = new[]
        {
            ("taskId", $"\"{t.VictimTask}\""), ("lease", "1"), ("output", "\"aGk=\""), ("outputSha256", "\"" + new string('0', 64) + "\""), ("fuelUsed", "1"),
            ("durationMs", "1"), ("powNonce", "\"42\""), ("signature", "\"" + Convert.ToBase64String(new byte[64]) + "\""),
        };
        foreach (var (name, json) in new[]
                 {
                     ("above 2^64", "\"18446744073709551616\""), ("a number", "42"), ("negative", "\"-1\""), ("with a sign", "\"+1\""), ("not digits", "\"4x\""),
                     ("NUL", Nul), ("empty", "\"\""), ("null", "null"),
                 })
        {
            yield return new SocketCase($"result powNonce {name}", Frame("result", Replace(result, "powNonce", json)), "validation_failed", AfterHello: true);
        }

        foreach (var (field, values) in new[]
                 {
                     ("output", new[] { ("not base64", "\"***\""), ("a number", "1"), ("null", "null") }),
                     ("outputSha256", new[] { ("null", "null"), ("NUL", Nul), ("of 65 characters", "\"" + new string('0', 65) + "\"") }),
                     ("signature", new[] { ("null", "null"), ("not base64", "\"!!\""), ("a lone surrogate", LoneSurrogate) }),
                     ("fuelUsed", new[] { ("negative", "-1"), ("a string", "\"1\""), ("overflowing", Overflowing) }),
                     ("durationMs", new[] { ("negative", "-1"), ("huge", HugeNumber) }),
                 })
        {
            foreach (var (name, json) in values)
            {
                yield return new SocketCase($"result {field} {name}", Frame("result", Replace(result, field, json)), "validation_failed", AfterHello: true);
            }
        }

        yield return new SocketCase("result for the victim's task", Frame("result", result), "lease_expired", AfterHello: true);
    }

    /// <summary>A valid body as a function of the fields to replace, so each case changes one field and keeps the rest.</summary>
    private static Func<(string Field, string Json)[], string> Body(params (string Field, string Json)[] fields) =>
        changes => "{" + string.Join(",", fields.Where(f => changes.All(c => c.Field != f.Field)).Concat(changes).Select(f => $"\"{f.Field}\":{f.Json}")) + "}";

    private static HttpCase Field(string name, HttpMethod method, string path, Caller who, Func<(string Field, string Json)[], string> body, string field, string json) =>
        new(name, method, path, who, body([(field, json)]), 400, "validation_failed", field);

    private static string Frame(string type, params (string Field, string Json)[] fields) =>
        "{\"type\":\"" + type + "\",\"id\":\"{id}\"" + string.Concat(fields.Select(f => $",\"{f.Field}\":{f.Json}")) + "}";

    private static (string Field, string Json)[] Replace((string Field, string Json)[] fields, string field, string json) =>
        [.. fields.Select(f => f.Field == field ? (f.Field, json) : f)];
}
