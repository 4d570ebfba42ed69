using Gstd.Disputes;
using Gstd.Grains.Tasks;

namespace Gstd.Grains.Verification;

/// <summary>
/// What a task does with its results once every replica has delivered: accept the right ones (paying each of
/// them), ask the platform to run the task, or reject them all and try again. <see cref="Verified"/> says
/// whether the accepted results were checked (by agreement or by the platform), which is what builds an
/// account's run of verified results. <see cref="Unchecked"/> says a check was asked for and did not happen (the
/// platform's run hit a cap or never came): such results count only as unverified successes (never towards the verified
/// streak that ends spot checks) and the task says so.
/// </summary>
public sealed record ReplicaVerdict(
    VerdictKind Kind, IReadOnlyList<ReplicaResult> Right, IReadOnlyList<ReplicaResult> Wrong, bool Verified, string Note, bool Unchecked = false)
{
    /// <summary>
    /// Judges the results. Without a platform run: agreement of two or more replicas accepts them all, a lone
    /// result is accepted unless it is to be spot-checked, and disagreement asks the platform. With a conclusive
    /// run, the results matching it are right and the others wrong (none right rejects them all). When the
    /// platform could not tell (a limit, or no run by the deadline), a lone result stands unverified and
    /// replicas fall back to a strict majority, without counting either side as verified or wrong.
    /// </summary>
    public static ReplicaVerdict Judge(IReadOnlyList<ReplicaResult> replicas, bool spotCheck, ExecutionReport? platform, bool platformGaveUp)
    {
        var groups = replicas.GroupBy(r => r.OutputSha256, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        if (platform is null && !platformGaveUp)
        {
            if (groups.Count == 1 && (replicas.Count > 1 || !spotCheck))
            {
                return new ReplicaVerdict(VerdictKind.Accept, replicas, [], replicas.Count > 1,
                    replicas.Count > 1 ? $"All {replicas.Count} replicas produced the same output." : "Accepted.");
            }

            return new ReplicaVerdict(VerdictKind.AskPlatform, [], [], false, replicas.Count > 1
                ? $"The {replicas.Count} replicas disagree ({groups.Count} different outputs); the platform runs the task to decide."
                : "A spot check: the platform runs the task too.");
        }

        if (platform is not null && !RunOutcomes.IsInconclusive(platform))
        {
            var truth = RunOutcomes.TruthOf(platform);
            var right = replicas.Where(r => r.OutputSha256 == truth).ToList();
            var wrong = replicas.Where(r => r.OutputSha256 != truth).ToList();
            return right.Count > 0
                ? new ReplicaVerdict(VerdictKind.Accept, right, wrong, true,
                    $"The platform's run produced sha256 {truth}: {right.Count} result(s) right, {wrong.Count} wrong.")
                : new ReplicaVerdict(VerdictKind.Reject, [], wrong, true,
                    $"No result matched the platform's run ({platform.Outcome}{(truth is null ? "" : ", sha256 " + truth)}).");
        }

        var why = platform is null ? "did not finish in time" : $"ended {platform.Outcome}";
        if (replicas.Count == 1)
        {
            return new ReplicaVerdict(VerdictKind.Accept, replicas, [], false, $"The spot check {why}; the result stands unverified.", Unchecked: true);
        }

        // Without the platform's word nobody is proven wrong: the majority is accepted and paid, no trust moves.
        var majority = groups[0];
        return majority.Count() * 2 > replicas.Count
            ? new ReplicaVerdict(VerdictKind.Accept, [.. majority], [], false,
                $"The platform's run {why}; {majority.Count()} of {replicas.Count} replicas agree and are accepted unverified.", Unchecked: true)
            : new ReplicaVerdict(VerdictKind.Reject, [], [], false, $"The replicas disagree and the platform's run {why}.", Unchecked: true);
    }
}

public enum VerdictKind
{
    Accept,
    AskPlatform,
    Reject,
}
