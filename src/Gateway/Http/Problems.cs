using Microsoft.AspNetCore.Http;

namespace Gstd.Gateway.Http;

/// <summary>problem+json results with a stable <c>code</c>; <c>traceId</c> is added for every problem.</summary>
public static class Problems
{
    public static IResult Create(int status, string code, string title, string? detail = null) =>
        Results.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request is not valid.",
            extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ValidationFailed });

    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, $"{what} was not found.");

    public static IResult InvalidState(string detail) =>
        Create(StatusCodes.Status409Conflict, ProblemCodes.InvalidState, "The resource is not in a state that allows this.", detail);
}
