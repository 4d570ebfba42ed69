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
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

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

        var principal = await grains.GetGrain<IApiKeyGrain>(prefix).Authenticate(ApiKey.Hash(key));
        return principal is null
            ? AuthenticateResult.Fail("The API key is not valid.")
            : AuthenticateResult.Success(new AuthenticationTicket(GstdClaims.ToClaimsPrincipal(principal, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized,
                "A valid API key is required.", "Send 'Authorization: Bearer <api key>'.")
            .ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden,
                "This key may not do that.", "The account's roles or the key's scope do not allow this request.")
            .ExecuteAsync(Context);
}
