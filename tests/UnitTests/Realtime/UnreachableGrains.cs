using System.Reflection;

namespace Gstd.UnitTests.Realtime;

/// <summary>A grain factory for a socket test that must not reach any grain: every call fails.</summary>
internal class UnreachableGrains : DispatchProxy
{
    public static IGrainFactory Create() => Create<IGrainFactory, UnreachableGrains>();

    protected override object? Invoke(MethodInfo? method, object?[]? args) => throw new NotSupportedException(method?.Name);
}
