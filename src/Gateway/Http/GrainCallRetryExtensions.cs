using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gstd.Gateway.Http;

public static class GrainCallRetryExtensions
{
    /// <summary>
    /// Marks a read, or a command whose grain deduplicates by <c>Idempotency-Key</c> (submit, redrive), as safe to
    /// run again after a transient grain-call failure. Nothing else may carry it: a repeated faucet deposit,
    /// key creation or sign-up would happen twice.
    /// </summary>
    public static RouteHandlerBuilder RepeatOnTransientFault(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter<GrainCallRetry>();
}
