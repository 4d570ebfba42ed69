using Gstd.Accounts;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Analytics;

/// <summary>The client's spend over time, bucketed for the dashboard's chart.</summary>
public static class SpendEndpoints
{
    /// <summary>Without a range: the last day, by hour.</summary>
    private static readonly TimeSpan DefaultRange = TimeSpan.FromDays(1);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/analytics/spend", GetSpend).WithTags("Analytics").RequireAuthorization(Policies.Client)
            .Produces<SpendBucketResponse[]>().ProducesValidationProblem();

    private static async Task<IResult> GetSpend(
        HttpContext context, IGrainFactory grains, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, string? bucket)
    {
        var errors = new Dictionary<string, string[]>();
        SpendBucketWidth width = SpendBucketWidth.Hour;
        if (bucket is not null && !TryWidth(bucket, out width))
        {
            errors["bucket"] = ["Must be minute, hour or day."];
        }

        var end = to ?? time.GetUtcNow();
        var start = from ?? end - DefaultRange;
        if (start >= end)
        {
            errors["from"] = ["Must be before 'to'."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var query = SpendBuckets.Cover(start, end, width);
        if (SpendBuckets.Count(query) > SpendBuckets.MaxCount)
        {
            return Problems.Validation("from", $"The range holds {SpendBuckets.Count(query)} buckets of a {bucket ?? "hour"}; at most {SpendBuckets.MaxCount} per request.");
        }

        var buckets = await grains.GetGrain<IAccountGrain>(context.User.AccountIdOf()).GetSpend(query);
        return buckets is null
            ? Problems.NotFound("The account")
            : Results.Ok(buckets.Select(b => new SpendBucketResponse(b.Start, Money.Money.Format(b.Spent), Money.Money.Format(b.Refunded), Money.Money.Format(b.Held))).ToArray());
    }

    private static bool TryWidth(string text, out SpendBucketWidth width)
    {
        (var known, width) = text switch
        {
            "minute" => (true, SpendBucketWidth.Minute),
            "hour" => (true, SpendBucketWidth.Hour),
            "day" => (true, SpendBucketWidth.Day),
            _ => (false, default),
        };
        return known;
    }
}

public sealed record SpendBucketResponse(DateTimeOffset Start, string Spent, string Refunded, string Held);
