using System.Text.Json;

namespace Gstd.Trust;

public static class TrustEvents
{
    /// <summary>How an event is named on the wire and in the API: <c>succeeded</c>, <c>lost_lease</c>, …</summary>
    public static string Name(TrustEvent kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
