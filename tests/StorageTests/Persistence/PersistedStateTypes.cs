using System.Reflection;
using System.Text.Json;

namespace Gstd.StorageTests.Persistence;

/// <summary>Finds every grain-state type an assembly persists, so a new one is round-tripped without a new test.</summary>
public static class PersistedStateTypes
{
    public static IEnumerable<Type> Of(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => typeof(Grain).IsAssignableFrom(t))
            .SelectMany(t => t.GetConstructors())
            .SelectMany(c => c.GetParameters())
            .Where(p => p.GetCustomAttribute<PersistentStateAttribute>() is not null
                        && p.ParameterType.IsGenericType
                        && p.ParameterType.GetGenericTypeDefinition() == typeof(IPersistentState<>))
            .Select(p => p.ParameterType.GetGenericArguments()[0])
            .Distinct();

    /// <summary>A new instance: state types default to meaningful values, as grains start from them.</summary>
    public static object Sample(Type type) => Activator.CreateInstance(type)!;

    /// <summary>A structural description for comparing an object with its copy.</summary>
    public static string Describe(object value) => JsonSerializer.Serialize(value, value.GetType());
}
