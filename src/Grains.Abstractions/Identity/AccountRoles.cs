namespace Gstd.Identity;

[Flags]
[GenerateSerializer, Alias("gstd.AccountRoles")]
public enum AccountRoles
{
    None = 0,
    Client = 1,
    Worker = 2,
    Admin = 4,
}
