namespace Gstd.Identity;

/// <summary>What a key may do: <c>Full</c> acts for the whole account; <c>Worker</c> only runs a worker agent.</summary>
[GenerateSerializer, Alias("gstd.KeyScope")]
public enum KeyScope
{
    Full = 0,
    Worker = 1,
}
