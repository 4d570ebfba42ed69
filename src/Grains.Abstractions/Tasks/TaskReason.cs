namespace Gstd.Tasks;

/// <summary>Why a task or an attempt ended as it did: a stable code and a sentence.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TaskReason")]
public sealed record TaskReason([property: Id(0)] string Code, [property: Id(1)] string Message);
