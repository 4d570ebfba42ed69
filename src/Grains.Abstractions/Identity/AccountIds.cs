namespace Gstd.Identity;

public static class AccountIds
{
    /// <summary>The platform's admin account, made at the first start.</summary>
    public const string Admin = "admin";
}
