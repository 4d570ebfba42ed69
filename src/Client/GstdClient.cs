using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gstd.Client;

/// <summary>
/// Typed calls to the GSTD HTTP API (API.md) for one API key. Amounts are decimal strings in GSTD, as on
/// the wire; errors surface as <see cref="GstdApiException"/> with the API's code.
/// </summary>
public sealed class GstdClient : IDisposable
{
    private readonly HttpClient _http;

    public GstdClient(Uri server, string? apiKey = null, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = server;
        _http.Timeout = TimeSpan.FromSeconds(60);
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public Uri Server => _http.BaseAddress!;

    public Task<JsonElement> SignUpAsync(string name, params string[] roles) =>
        SendAsync(HttpMethod.Post, "api/accounts", new { name, roles });

    public Task<JsonElement> GetMeAsync() => SendAsync(HttpMethod.Get, "api/accounts/me", null);

    /// <summary>The Development faucet.</summary>
    public Task<JsonElement> DepositAsync(string amount) => SendAsync(HttpMethod.Post, "api/accounts/me/deposits", new { amount });

    public async Task<string> UploadModuleAsync(byte[] wasm)
    {
        using var content = new ByteArrayContent(wasm);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        using var response = await _http.PostAsync(new Uri("api/modules", UriKind.Relative), content);
        return (await ReadAsync(response)).GetProperty("id").GetString()!;
    }

    public Task<JsonElement> SubmitTaskAsync(string moduleId, byte[] input, string price, object? options = null, string? idempotencyKey = null)
    {
        var body = new Dictionary<string, object?> { ["moduleId"] = moduleId, ["input"] = Convert.ToBase64String(input), ["price"] = price };
        if (options is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(options, JsonSerializerOptions.Web).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        return SendAsync(HttpMethod.Post, "api/tasks", body, idempotencyKey);
    }

    public Task<JsonElement> GetTaskAsync(string taskId) => SendAsync(HttpMethod.Get, $"api/tasks/{taskId}", null);

    /// <summary>The account's tasks in some states (comma-separated), every page of them.</summary>
    public async Task<List<JsonElement>> ListTasksAsync(string status)
    {
        var tasks = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await SendAsync(HttpMethod.Get, $"api/tasks?status={Uri.EscapeDataString(status)}&limit=200"
                + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), null);
            tasks.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return tasks;
    }

    public Task<JsonElement> AcceptTaskAsync(string taskId) => SendAsync(HttpMethod.Post, $"api/tasks/{taskId}/accept", new { });

    /// <summary>Disputes a completed task: <paramref name="reason"/> is <c>wrong_output</c> or <c>other</c>.</summary>
    public Task<JsonElement> OpenDisputeAsync(string taskId, string reason, string details = "") =>
        SendAsync(HttpMethod.Post, $"api/tasks/{taskId}/disputes", new { reason, details });

    public Task<JsonElement> GetDisputeAsync(string disputeId) => SendAsync(HttpMethod.Get, $"api/disputes/{Uri.EscapeDataString(disputeId)}", null);

    public Task<JsonElement> RegisterWorkerAsync(string name, byte[] publicKey, int capacity, double? lat, double? lon) =>
        SendAsync(HttpMethod.Post, "api/workers", new
        {
            name,
            publicKey = Convert.ToBase64String(publicKey),
            capabilities = new[] { "wasm" },
            capacity,
            location = lat is not null && lon is not null ? new { lat, lon } : null,
        });

    /// <summary>The sentinel's audit of the platform's invariants (admins only).</summary>
    public Task<JsonElement> AuditAsync() => SendAsync(HttpMethod.Get, "api/admin/audit", null);

    /// <summary>The caller's workers as registered.</summary>
    public Task<JsonElement> ListWorkersAsync() => SendAsync(HttpMethod.Get, "api/workers", null);

    /// <summary>One worker with what it is doing now: online, leases, counters, trust history.</summary>
    public Task<JsonElement> GetWorkerAsync(string workerId) => SendAsync(HttpMethod.Get, $"api/workers/{Uri.EscapeDataString(workerId)}", null);

    /// <summary>Changes how many tasks a worker runs at once.</summary>
    public Task<JsonElement> SetWorkerCapacityAsync(string workerId, int capacity) =>
        SendAsync(HttpMethod.Patch, $"api/workers/{Uri.EscapeDataString(workerId)}", new { capacity });

    /// <summary>A task's module (<paramref name="kind"/> "modules") or input ("blobs"), read with the task's lease.</summary>
    public async Task<byte[]> DownloadForTaskAsync(string kind, string contentId, string taskId)
    {
        using var response = await _http.GetAsync(new Uri($"api/{kind}/{Uri.EscapeDataString(contentId)}?taskId={Uri.EscapeDataString(taskId)}", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync(response);
        }

        return await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: JsonSerializerOptions.Web);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request);
        return await ReadAsync(response);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        if (response.IsSuccessStatusCode)
        {
            return json;
        }

        var code = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var c) ? c.GetString() ?? "error" : "error";
        var detail = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("detail", out var d) ? d.GetString() : null;
        throw new GstdApiException(response.StatusCode, code, $"{(int)response.StatusCode} {code}: {detail ?? text}");
    }
}
