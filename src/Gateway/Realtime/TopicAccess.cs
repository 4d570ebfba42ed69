using Gstd.Identity;
using Gstd.Tasks;
using Gstd.Workers;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// Which topic a socket's subscription names, and whether its key may read it: <c>account</c> (its own), <c>network</c>,
/// <c>admin</c> (full-scope admin keys), <c>task:{id}</c> (an own task, served as a filter of the account topic) and
/// <c>worker:{id}</c> (an own worker). Null for anything else, so another account's topic looks like no topic at all.
/// </summary>
public static class TopicAccess
{
    public static async Task<(string GrainTopic, string? TaskFilter)?> ResolveAsync(IGrainFactory grains, Principal principal, string topic)
    {
        if (topic == "account")
        {
            return ("account:" + principal.AccountId, null);
        }

        if (topic == "network")
        {
            return (topic, null);
        }

        if (topic == "admin" && principal.Roles.HasFlag(AccountRoles.Admin) && principal.Scope == KeyScope.Full)
        {
            return (topic, null);
        }

        if (topic.StartsWith("task:", StringComparison.Ordinal) && topic[5..] is var taskId && Ids.IsWellFormed(taskId)
            && await grains.GetGrain<ITaskGrain>(taskId).Get(principal.AccountId, isAdmin: false) is not null)
        {
            return ("account:" + principal.AccountId, taskId);
        }

        if (topic.StartsWith("worker:", StringComparison.Ordinal) && topic[7..] is var workerId && Ids.IsWellFormed(workerId)
            && await grains.GetGrain<IWorkerGrain>(workerId).Get(principal.AccountId, isAdmin: false) is not null)
        {
            return (topic, null);
        }

        return null;
    }
}
