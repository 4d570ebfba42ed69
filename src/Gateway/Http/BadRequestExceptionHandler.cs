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

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var result = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problems.Create(bad.StatusCode, ProblemCodes.PayloadTooLarge, "The request body is too large.", bad.Message)
            : UnboundParameter().Match(bad.Message) is { Success: true } unbound
                ? Problems.Validation(unbound.Groups["name"].Value, $"Must be a {unbound.Groups["type"].Value.TrimEnd('?')}; \"{unbound.Groups["value"].Value}\" is not one.")
                : Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The request is not valid.", bad.Message);
        await result.ExecuteAsync(httpContext);
        return true;
    }
}
