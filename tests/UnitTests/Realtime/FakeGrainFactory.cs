using System.Reflection;

namespace Gstd.UnitTests.Realtime;

/// <summary>A grain factory that hands out one topic grain and passes observers through as their own references.</summary>
internal class FakeGrainFactory : DispatchProxy
{
    private FakeTopicGrain _topic = null!;

    public static IGrainFactory For(FakeTopicGrain topic)
    {
        var factory = Create<IGrainFactory, FakeGrainFactory>();
        ((FakeGrainFactory)(object)factory)._topic = topic;
        return factory;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args) => method?.Name switch
    {
        nameof(IGrainFactory.GetGrain) => _topic,
        nameof(IGrainFactory.CreateObjectReference) => args![0],
        nameof(IGrainFactory.DeleteObjectReference) => null,
        _ => throw new NotSupportedException(method?.Name),
    };
}
