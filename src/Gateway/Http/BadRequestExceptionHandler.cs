using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Gstd.Gateway.Http;

/// <summary>
/// Turns request-binding failures (malformed JSON, a query value of the wrong type, an oversized body)
/// into problem+json with the reason, instead of a 500.
/// </summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var result = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problems.Create(bad.StatusCode, ProblemCodes.PayloadTooLarge, "The request body is too large.", bad.Message)
            : Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The request is not valid.", bad.Message);
        await result.ExecuteAsync(httpContext);
        return true;
    }
}
