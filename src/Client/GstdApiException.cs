using System.Net;

namespace Gstd.Client;

/// <summary>A problem+json answer from the GSTD API: the HTTP status and the stable error code.</summary>
public sealed class GstdApiException(HttpStatusCode status, string code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;
}
