using Gstd.Content;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Content;

/// <summary>Task modules and blobs: content-addressed uploads and authorized downloads.</summary>
public static class ContentEndpoints
{
    public static void Map(IEndpointRouteBuilder app, PlatformLimits limits)
    {
        var modules = app.MapGroup("/api/modules").WithTags("Modules");
        modules.MapPost("/", (HttpContext context, IGrainFactory grains) => UploadAsync(context, grains, ContentKind.Module, limits.MaxModuleBytes))
            .RequireAuthorization(Policies.Client)
            .WithMetadata(new BodySizeLimit(limits.MaxModuleBytes))
            .AddOpenApiOperationTransformer(BinaryBody("application/wasm"))
            .Produces<ContentResponse>(StatusCodes.Status201Created).Produces<ContentResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        modules.MapGet("/{id}", (string id, string? taskId, HttpContext context, IGrainFactory grains) => DownloadAsync(id, taskId, context, grains, ContentKind.Module))
            .RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey)
            .Produces<byte[]>(StatusCodes.Status200OK, "application/wasm").ProducesProblem(StatusCodes.Status404NotFound);

        var blobs = app.MapGroup("/api/blobs").WithTags("Blobs");
        blobs.MapPost("/", (HttpContext context, IGrainFactory grains) => UploadAsync(context, grains, ContentKind.Blob, limits.MaxBlobBytes))
            .RequireAuthorization(Policies.Client)
            .WithMetadata(new BodySizeLimit(limits.MaxBlobBytes))
            .AddOpenApiOperationTransformer(BinaryBody("application/octet-stream"))
            .Produces<ContentResponse>(StatusCodes.Status201Created).Produces<ContentResponse>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        blobs.MapGet("/{id}", (string id, string? taskId, HttpContext context, IGrainFactory grains) => DownloadAsync(id, taskId, context, grains, ContentKind.Blob))
            .RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey)
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// Documents a raw body. (Accepts metadata would make routing refuse other content types with 415,
    /// before authentication has had its say.)
    /// </summary>
    private static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> BinaryBody(string mediaType) =>
        (operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [mediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };
            return Task.CompletedTask;
        };

    private static async Task<IResult> UploadAsync(HttpContext context, IGrainFactory grains, ContentKind kind, int maxBytes)
    {
        var bytes = await ReadBodyAsync(context.Request, maxBytes, context.RequestAborted);
        if (bytes is null)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge,
                "The upload is too large.", $"At most {maxBytes} bytes are accepted.");
        }

        if (bytes.Length == 0)
        {
            return kind == ContentKind.Module
                ? Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidModule, "The module is not valid.", "The body is empty.")
                : Problems.Validation("body", "The body is empty.");
        }

        var id = ContentId.Of(bytes);
        var result = await grains.GetGrain<IContentGrain>(id).Upload(kind, context.User.AccountIdOf(), bytes);
        var path = kind == ContentKind.Module ? "/api/modules/" : "/api/blobs/";
        return result.Status switch
        {
            UploadStatus.Invalid => Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidModule, "The module is not valid.", result.Error),
            UploadStatus.OverQuota => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.StorageQuotaExceeded, "The account's storage is full.",
                "Modules and blobs together may not exceed storageQuotaBytes in GET /api/limits; nothing was stored."),
            UploadStatus.Created => Results.Created(path + id, new ContentResponse(id, result.Size)),
            _ => Results.Ok(new ContentResponse(id, result.Size)),
        };
    }

    /// <summary>Owners and admins read content; a worker reads a task's module and input with <c>?taskId=</c> while it holds the lease.</summary>
    private static async Task<IResult> DownloadAsync(string id, string? taskId, HttpContext context, IGrainFactory grains, ContentKind kind)
    {
        var what = kind == ContentKind.Module ? "The module" : "The blob";
        if (!ContentId.IsWellFormed(id))
        {
            return Problems.NotFound(what);
        }

        var content = grains.GetGrain<IContentGrain>(id);
        var account = context.User.AccountIdOf();
        var bytes = await content.Download(kind, account, context.User.IsInRole(RoleNames.Admin))
            ?? (taskId is not null && Identity.Ids.IsWellFormed(taskId) ? await content.DownloadForTask(account, taskId) : null);
        return bytes is null
            ? Problems.NotFound(what)
            : Results.Bytes(bytes, kind == ContentKind.Module ? "application/wasm" : "application/octet-stream");
    }

    /// <summary>Reads the whole body, or answers null as soon as it passes <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

public sealed record ContentResponse(string Id, int Size);
