using CsCheck;
using Gstd.Disputes;
using Gstd.Grains.Tasks;
using Gstd.Grains.Verification;

namespace Gstd.UnitTests.Verification;

public sealed class ReplicaVerdictTests
{
    private static readonly string[] Outcomes = ["Succeeded", "Succeeded", "Trapped", "OutOfFuel", "TimedOut"];

    // Results drawn from three possible outputs, so agreement and disagreement both happen often.
    private static readonly Gen<ReplicaResult[]> Replicas = Gen.Int[0, 2].Array[1, 5]
        .Select(hashes => hashes.Select((h, i) => Replica(i, "h" + h)).ToArray());

    private static readonly Gen<ExecutionReport> Platform =
        Gen.Select(Gen.Int[0, Outcomes.Length - 1].Select(i => Outcomes[i]), Gen.Int[0, 3], (outcome, h) => new ExecutionReport(1, DateTimeOffset.UnixEpoch, outcome, outcome == "Succeeded" ? "h" + h : null, 0, [], 0, 0, null));

    [Fact]
    public void Every_result_is_judged_once_and_accepted_results_agree_with_each_other_and_with_a_conclusive_platform_run()
    {
        Gen.Select(Replicas, Platform, Gen.Bool).Sample((replicas, platform, gaveUp) =>
        {
            var verdict = ReplicaVerdict.Judge(replicas, spotCheck: true, gaveUp ? null : platform, platformGaveUp: gaveUp);
            Assert.NotEqual(VerdictKind.AskPlatform, verdict.Kind);
            Assert.Empty(verdict.Right.Intersect(verdict.Wrong));
            Assert.True(verdict.Right.Concat(verdict.Wrong).All(replicas.Contains));
            Assert.Single(verdict.Right.Select(r => r.OutputSha256).Distinct().DefaultIfEmpty());
            Assert.Equal(verdict.Kind == VerdictKind.Accept, verdict.Right.Count > 0);
            if (!gaveUp && platform.Outcome is "Succeeded" or "Trapped")
            {
                var truth = platform.Outcome == "Succeeded" ? platform.OutputSha256 : null;
                Assert.All(verdict.Right, r => Assert.Equal(truth, r.OutputSha256));
                Assert.All(verdict.Wrong, r => Assert.NotEqual(truth, r.OutputSha256));
                Assert.Equal(replicas.Length, verdict.Right.Count + verdict.Wrong.Count);
            }
            else if (replicas.Length > 1 && verdict.Kind == VerdictKind.Accept)
            {
                Assert.True(verdict.Right.Count * 2 > replicas.Length, "Without the platform only a strict majority is accepted.");
                Assert.Empty(verdict.Wrong);
                Assert.False(verdict.Verified, "Without the platform nobody is proven right or wrong.");
            }

            // A check that was asked for and proved nothing is never taken for one.
            var checkedNothing = gaveUp || platform.Outcome is "OutOfFuel" or "TimedOut";
            Assert.Equal(checkedNothing, verdict.Unchecked);
            Assert.False(verdict.Unchecked && verdict.Verified);
        });
    }

    [Fact]
    public void Agreeing_replicas_are_accepted_without_the_platform_and_disagreeing_ones_or_a_spot_check_ask_for_it()
    {
        var agree = new[] { Replica(0, "h"), Replica(1, "h"), Replica(2, "h") };
        var accepted = ReplicaVerdict.Judge(agree, spotCheck: true, null, platformGaveUp: false);
        Assert.Equal((VerdictKind.Accept, 3, true), (accepted.Kind, accepted.Right.Count, accepted.Verified));

        Assert.Equal(VerdictKind.AskPlatform, ReplicaVerdict.Judge([Replica(0, "h"), Replica(1, "x")], false, null, false).Kind);
        Assert.Equal(VerdictKind.AskPlatform, ReplicaVerdict.Judge([Replica(0, "h")], spotCheck: true, null, false).Kind);
        var unverified = ReplicaVerdict.Judge([Replica(0, "h")], spotCheck: false, null, false);
        Assert.Equal((VerdictKind.Accept, false), (unverified.Kind, unverified.Verified));
    }

    private static ReplicaResult Replica(int i, string hash) =>
        new("w" + i, "a" + i, 1, "sha256:" + hash, hash, null, new ResultProof([], 0, 0));
}
