using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gstd.Gateway.Http;

/// <summary>
/// Checks what every endpoint is given outside its body, before it runs: no query or path value may hold a control
/// character or half of a surrogate pair (<see cref="TextRules"/>), and no time may lie outside <see cref="TimeRange"/>.
/// Each is a 400 <c>validation_failed</c> naming the parameter, instead of an error from deep inside.
/// </summary>
public static class InputGuard
{
    public static TBuilder GuardInputs<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var times = factory.MethodInfo.GetParameters()
                .Select((parameter, index) => (parameter.Name!, index, IsTime(parameter)))
                .Where(p => p.Item3)
                .Select(p => (Name: p.Item1, Index: p.index))
                .ToArray();
            return async context => Check(context, times) is { } errors ? Problems.Validation(errors) : await next(context);
        });
        return builder;
    }

    private static Dictionary<string, string[]>? Check(EndpointFilterInvocationContext context, (string Name, int Index)[] times)
    {
        Dictionary<string, string[]>? errors = null;
        void Refuse(string name, string message) => (errors ??= new(StringComparer.Ordinal))[name] = [message];

        var request = context.HttpContext.Request;
        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (value is not null && TextRules.ParameterProblem(value) is { } problem)
                {
                    Refuse(name, problem);
                }
            }
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && TextRules.ParameterProblem(text) is { } problem)
            {
                Refuse(name, problem);
            }
        }

        foreach (var (name, index) in times)
        {
            if (context.Arguments[index] is DateTimeOffset time && TimeRange.Problem(time) is { } problem)
            {
                Refuse(name, problem);
            }
        }

        return errors;
    }

    private static bool IsTime(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(DateTimeOffset) || parameter.ParameterType == typeof(DateTimeOffset?);
}
