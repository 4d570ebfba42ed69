using Gstd.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Gstd.Gateway.Auth;

/// <summary>
/// Authorization policies. Every endpoint names exactly one, so the authorization matrix can be read
/// off the endpoint list.
/// </summary>
public static class Policies
{
    /// <summary>Any valid key, of any scope.</summary>
    public const string AnyKey = "any-key";
    /// <summary>A full-scope key (never an agent's worker key).</summary>
    public const string FullKey = "full-key";
    /// <summary>A full-scope key of an account with the client role.</summary>
    public const string Client = "client";
    /// <summary>Any key of an account whose worker role is active (agents use worker-scoped keys).</summary>
    public const string Worker = "worker";
    /// <summary>A full-scope key of an admin account.</summary>
    public const string Admin = "admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(AnyKey, p => p.RequireAuthenticatedUser());
        options.AddPolicy(FullKey, p => p.RequireAuthenticatedUser().RequireClaim(GstdClaims.Scope, nameof(KeyScope.Full)));
        options.AddPolicy(Client, p => p.RequireAuthenticatedUser().RequireClaim(GstdClaims.Scope, nameof(KeyScope.Full)).RequireRole(RoleNames.Client));
        options.AddPolicy(Worker, p => p.RequireAuthenticatedUser().RequireRole(RoleNames.Worker).RequireClaim(GstdClaims.WorkerRole, nameof(WorkerRoleStatus.Active)));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireClaim(GstdClaims.Scope, nameof(KeyScope.Full)).RequireRole(RoleNames.Admin));
    }
}
