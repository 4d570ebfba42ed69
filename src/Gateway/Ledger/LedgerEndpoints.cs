using System.Text.Json;
using Gstd.Accounts;
using Gstd.Gateway.Accounts;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Identity;
using Gstd.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Ledger;

/// <summary>Journal lines of the caller's account, and admin deposits.</summary>
public static class LedgerEndpoints
{
    private const int MaxReferenceLength = 200;
    private static readonly long MaxDeposit = 1_000_000_000 * Money.Money.NanoPerGstd;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ledger/entries", ListEntries).WithTags("Ledger").RequireAuthorization(Policies.AnyKey)
            .Produces<ListResponse<LedgerEntryResponse>>().ProducesValidationProblem();
        app.MapPost("/api/admin/accounts/{id}/deposits", AdminDeposit).WithTags("Admin").RequireAuthorization(Policies.Admin)
            .Accepts<AdminDepositRequest>("application/json").Produces<DepositResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListEntries(
        HttpContext context, IGrainFactory grains, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? cursor)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ListCursor.TryLimit(limit, out var pageSize))
        {
            errors["limit"] = [$"Must be between 1 and {ListCursor.MaxLimit}."];
        }

        if (!ListCursor.TryDecode(cursor, out var before))
        {
            errors["cursor"] = ["Is not a cursor this API returned."];
        }

        if (from is not null && to is not null && from > to)
        {
            errors["from"] = ["Must not be after 'to'."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await grains.GetGrain<IAccountGrain>(context.User.AccountIdOf())
            .GetLedgerEntries(new LedgerQuery(from, to, pageSize, before));
        if (page is null)
        {
            return Problems.NotFound("The account");
        }

        var items = page.Items.Select(e => new LedgerEntryResponse(e.At, Money.Money.FormatSigned(e.Amount), e.Kind, e.TaskId, e.TransferKey)).ToArray();
        return Results.Ok(new ListResponse<LedgerEntryResponse>(items, page.NextBeforeId is { } next ? ListCursor.Encode(next) : null));
    }

    /// <summary>A deposit that would take a balance past what the ledger holds: nothing was credited.</summary>
    public static IResult WouldOverflow() =>
        Problems.Validation("amount", "Would take the account's balance past the largest amount the ledger holds; nothing was credited.");

    private static async Task<IResult> AdminDeposit(string id, JsonElement body, IGrainFactory grains, HttpResponse response)
    {
        if (!Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The account");
        }

        var reader = new JsonBody(body);
        var amount = reader.Money("amount", required: true, MaxDeposit);
        var reference = reader.String("reference", required: true, MaxReferenceLength);
        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        var result = await grains.GetGrain<IAccountGrain>(id).Deposit(amount!.Value, "admin:" + reference);
        switch (result.Status)
        {
            case DepositStatus.AccountNotFound:
                return Problems.NotFound("The account");
            case DepositStatus.WouldOverflow:
                return WouldOverflow();
            case DepositStatus.ReferenceConflict:
                return Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict,
                    "The deposit reference was already used.", "A reference credits one account with one amount, once.");
            case DepositStatus.Replayed:
                response.Headers["Idempotent-Replayed"] = "true";
                break;
        }

        return Results.Created($"/api/accounts/{id}", new DepositResponse(BalanceResponse.From(result.Balance!)));
    }
}

public sealed record LedgerEntryResponse(DateTimeOffset At, string Amount, string Kind, string? TaskId, string TransferKey);
