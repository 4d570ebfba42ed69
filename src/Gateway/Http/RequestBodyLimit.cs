using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gstd.Gateway.Http;

/// <summary>
/// Bounds every request body: JSON requests are small, and an endpoint that takes more (uploads) says so
/// with <see cref="IRequestSizeLimitMetadata"/>. A declared length over the limit is refused before the
/// body is read; the server enforces the same limit while reading a body of unknown length.
/// </summary>
public static class RequestBodyLimit
{
    public const long DefaultBytes = 64 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultBytes;
        if (context.Request.ContentLength > limit)
        {
            await Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge,
                "The request body is too large.", $"At most {limit} bytes are accepted here.").ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    });
}
