namespace Gstd.Identity;

[GenerateSerializer, Alias("gstd.WorkerRoleStatus")]
public enum WorkerRoleStatus
{
    PendingApproval = 0,
    Active = 1,
}
