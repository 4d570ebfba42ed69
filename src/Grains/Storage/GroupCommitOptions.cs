namespace Gstd.Grains.Storage;

/// <summary>How writes of several grains share transactions, bound from "Gstd:GroupCommit".</summary>
public sealed class GroupCommitOptions
{
    public const string Section = "Gstd:GroupCommit";

    /// <summary>
    /// Group transactions a silo keeps in flight at once. Fewer make bigger groups (fewer transactions per task)
    /// and make a write wait longer for its turn under load; a write that finds one free never waits.
    /// </summary>
    public int ConcurrentGroups { get; set; } = 2;
}
