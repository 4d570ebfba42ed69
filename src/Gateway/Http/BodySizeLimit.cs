using Microsoft.AspNetCore.Http.Metadata;

namespace Gstd.Gateway.Http;

/// <summary>Endpoint metadata: this endpoint accepts bodies up to the given size (see <see cref="RequestBodyLimit"/>).</summary>
public sealed class BodySizeLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = bytes;
}
