using System.Text.Encodings.Web;
using Gstd.Gateway.Http;
using Gstd.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gstd.Gateway.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> through the key's grain. Challenges and
/// forbids answer problem+json (401 <c>unauthorized</c>, 403 <c>forbidden</c>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IGrainFactory grains, RequestBudget budget)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";
    private const string TooManyFailures = "gstd.too-many-failed-keys";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var key = header[BearerPrefix.Length..].Trim();
        if (!ApiKey.TryGetPrefix(key, out var prefix))
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        // An address that keeps sending keys that do not work is not looked up any more this minute: guesses stop here.
        if (!budget.MayCheckKey(Context))
        {
            Context.Items[TooManyFailures] = true;
            return AuthenticateResult.Fail("Too many keys from this address failed; wait a minute.");
        }

        var principal = await grains.GetGrain<IApiKeyGrain>(prefix).Authenticate(ApiKey.Hash(key));
        if (principal is null)
        {
            budget.KeyCheckFailed(Context);
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(GstdClaims.ToClaimsPrincipal(principal, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(TooManyFailures))
        {
            Response.Headers.RetryAfter = "60";
            return Problems.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
                    "Too many keys sent from this address did not work.", "Wait a minute before sending a key again.")
                .ExecuteAsync(Context);
        }

        return Problems.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized,
                "A valid API key is required.", "Send 'Authorization: Bearer <api key>'.")
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden,
                "This key may not do that.", "The account's roles or the key's scope do not allow this request.")
            .ExecuteAsync(Context);
}
