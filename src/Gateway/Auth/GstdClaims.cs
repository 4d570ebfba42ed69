using System.Security.Claims;
using Gstd.Identity;

namespace Gstd.Gateway.Auth;

/// <summary>How a principal travels through ASP.NET: claims made only by the API key handler.</summary>
public static class GstdClaims
{
    public const string AccountId = "gstd:account";
    public const string KeyId = "gstd:key";
    public const string Scope = "gstd:scope";
    public const string WorkerRole = "gstd:worker-role";

    public static ClaimsPrincipal ToClaimsPrincipal(Principal principal, string scheme)
    {
        var claims = new List<Claim>
        {
            new(AccountId, principal.AccountId),
            new(KeyId, principal.KeyId),
            new(Scope, principal.Scope.ToString()),
        };
        claims.AddRange(RoleNames.From(principal.Roles).Select(r => new Claim(ClaimTypes.Role, r)));
        if (principal.WorkerRole is { } workerRole)
        {
            claims.Add(new Claim(WorkerRole, workerRole.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, AccountId, ClaimTypes.Role));
    }

    /// <summary>The caller's account id; only endpoints that require authentication may ask.</summary>
    public static string AccountIdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(AccountId) ?? throw new InvalidOperationException("The request is not authenticated.");
}
