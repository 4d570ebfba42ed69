using System.Security.Cryptography;
using Gstd.Tasks;

namespace Gstd.UnitTests.Tasks;

public sealed class TaskIdsTests
{
    [Fact]
    public void An_idempotency_key_reaches_the_same_task_only_under_the_same_secret()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var id = TaskIds.ForIdempotencyKey(secret, "acc_1", "key-1");

        Assert.Equal(id, TaskIds.ForIdempotencyKey(secret, "acc_1", "key-1"));
        Assert.NotEqual(id, TaskIds.ForIdempotencyKey(secret, "acc_2", "key-1"));
        Assert.NotEqual(id, TaskIds.ForIdempotencyKey(secret, "acc_1", "key-2"));
        Assert.NotEqual(id, TaskIds.ForIdempotencyKey(RandomNumberGenerator.GetBytes(32), "acc_1", "key-1"));
        Assert.Matches("^tsk_[a-km-np-z2-9]{26}$", id);
    }
}
