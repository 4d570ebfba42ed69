using Gstd.Identity;

namespace Gstd.Gateway.Auth;

/// <summary>The role names of the public API.</summary>
public static class RoleNames
{
    public const string Client = "client";
    public const string Worker = "worker";
    public const string Admin = "admin";

    public static IEnumerable<string> From(AccountRoles roles)
    {
        if (roles.HasFlag(AccountRoles.Client))
        {
            yield return Client;
        }

        if (roles.HasFlag(AccountRoles.Worker))
        {
            yield return Worker;
        }

        if (roles.HasFlag(AccountRoles.Admin))
        {
            yield return Admin;
        }
    }

    public static bool TryParse(string name, out AccountRoles role)
    {
        role = name switch
        {
            Client => AccountRoles.Client,
            Worker => AccountRoles.Worker,
            Admin => AccountRoles.Admin,
            _ => AccountRoles.None,
        };
        return role != AccountRoles.None;
    }
}
