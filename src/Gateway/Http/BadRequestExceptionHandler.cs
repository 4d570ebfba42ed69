using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Gstd.Gateway.Http;

/// <summary>
/// Turns request-binding failures (malformed JSON, a query value of the wrong type, an oversized body)
/// into problem+json with the reason, instead of a 500.
/// </summary>
public sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    /// <summary>ASP.NET's message for a query or route value of the wrong type: <c>Failed to bind parameter "int? limit" from "x".</c></summary>
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex UnboundParameter();

    /// <summary>A parameter's type as a client would say it ("Nullable&lt;DateTimeOffset&gt;" is a time).</summary>
    private static string Described(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?') switch
    {
        "DateTimeOffset" => "an ISO 8601 time such as 2026-11-26T08:00:00Z",
        "Int32" or "int" or "Int64" or "long" => "a whole number",
        "Boolean" or "bool" => "true or false",
        var other => "a " + other,
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var result = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problems.Create(bad.StatusCode, ProblemCodes.PayloadTooLarge, "The request body is too large.", bad.Message)
            : UnboundParameter().Match(bad.Message) is { Success: true } unbound
                ? Problems.Validation(unbound.Groups["name"].Value, $"Must be {Described(unbound.Groups["type"].Value)}; \"{unbound.Groups["value"].Value}\" is not.")
                : Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The request is not valid.", bad.Message);
        await result.ExecuteAsync(httpContext);
        return true;
    }
}
