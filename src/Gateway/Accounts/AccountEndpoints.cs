using System.Text.Json;
using Gstd.Accounts;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Identity;
using Gstd.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gstd.Gateway.Accounts;

/// <summary>Accounts, their keys, and the Development faucet.</summary>
public static class AccountEndpoints
{
    public const string AccountCreationRateLimit = "account-creation";
    private const int MaxNameLength = 100;
    private static readonly long FaucetMax = 1_000 * Money.Money.NanoPerGstd;

    public static void Map(IEndpointRouteBuilder app, bool faucet)
    {
        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts");
        accounts.MapPost("/", CreateAccount).AllowAnonymous().RequireRateLimiting(AccountCreationRateLimit)
            .Accepts<CreateAccountRequest>("application/json").Produces<CreatedAccountResponse>(StatusCodes.Status201Created).ProducesValidationProblem();
        accounts.MapGet("/me", GetMe).RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey).Produces<AccountResponse>();
        accounts.MapGet("/me/keys", ListKeys).RepeatOnTransientFault().RequireAuthorization(Policies.FullKey).Produces<ListResponse<ApiKeyResponse>>();
        accounts.MapPost("/me/keys", CreateKey).RequireAuthorization(Policies.FullKey)
            .Accepts<CreateKeyRequest>("application/json").Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created).ProducesValidationProblem();
        accounts.MapDelete("/me/keys/{keyId}", RevokeKey).RequireAuthorization(Policies.FullKey)
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        if (faucet)
        {
            // A worker-scoped key is an agent's: it may not move money, not even free money.
            accounts.MapPost("/me/deposits", Faucet).RequireAuthorization(Policies.FullKey)
                .Accepts<DepositRequest>("application/json").Produces<DepositResponse>(StatusCodes.Status201Created).ProducesValidationProblem();
        }

        var admin = app.MapGroup("/api/admin/accounts").WithTags("Admin");
        admin.MapPost("/{id}/approve-worker", ApproveWorker).RequireAuthorization(Policies.Admin)
            .Produces<AccountResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{id}/disable", Disable).RequireAuthorization(Policies.Admin)
            .Produces<DisabledAccountResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Disables an account for good: its keys, sockets and workers stop; its money stays where the ledger says.</summary>
    private static async Task<IResult> Disable(string id, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The account");
        }

        if (id == AccountIds.Admin)
        {
            return Problems.InvalidState("The admin account cannot be disabled: nobody could undo it.");
        }

        return await grains.GetGrain<IAccountGrain>(id).Disable() is { } at
            ? Results.Ok(new DisabledAccountResponse(id, at))
            : Problems.NotFound("The account");
    }

    private static async Task<IResult> CreateAccount(JsonElement body, IGrainFactory grains, IOptions<GatewayOptions> options)
    {
        var reader = new JsonBody(body);
        var name = reader.String("name", required: true, MaxNameLength, isName: true);
        var roleNames = reader.StringArray("roles", required: true);
        var roles = AccountRoles.None;
        foreach (var roleName in roleNames ?? [])
        {
            if (!RoleNames.TryParse(roleName, out var role) || role == AccountRoles.Admin)
            {
                reader.Error("roles", "Roles are [\"client\"], [\"worker\"] or [\"client\", \"worker\"]; admin cannot be requested.");
                break;
            }

            roles |= role;
        }

        if (roleNames is not null && roles == AccountRoles.None)
        {
            reader.Error("roles", "At least one role is required.");
        }

        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        var id = Ids.New("acc");
        var created = await grains.GetGrain<IAccountGrain>(id).Create(new NewAccount(name!.Trim(), roles, options.Value.SelfServiceWorkers))
            ?? throw new InvalidOperationException("A freshly generated account id was already taken.");
        var account = created.Account;
        return Results.Created($"/api/accounts/{account.Id}", new CreatedAccountResponse(
            account.Id, account.Name, RoleNames.From(account.Roles).ToArray(), account.WorkerRole?.ToString(),
            created.Key.Secret, created.Key.Key.KeyId));
    }

    private static async Task<IResult> GetMe(HttpContext context, IGrainFactory grains)
    {
        var view = await Account(context, grains).Get();
        return view is null ? Problems.NotFound("The account") : Results.Ok(AccountResponse.From(view));
    }

    private static async Task<IResult> ListKeys(HttpContext context, IGrainFactory grains)
    {
        var keys = await Account(context, grains).ListKeys();
        return keys is null
            ? Problems.NotFound("The account")
            : Results.Ok(new ListResponse<ApiKeyResponse>(keys.Select(ApiKeyResponse.From).ToArray(), null));
    }

    private static async Task<IResult> CreateKey(HttpContext context, JsonElement body, IGrainFactory grains)
    {
        var reader = new JsonBody(body);
        var scopeName = reader.String("scope", required: true, maxLength: 16);
        var scope = scopeName switch
        {
            "full" => KeyScope.Full,
            "worker" => KeyScope.Worker,
            _ => (KeyScope?)null,
        };
        if (scopeName is not null && scope is null)
        {
            reader.Error("scope", "Must be \"full\" or \"worker\".");
        }

        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        var created = await Account(context, grains).CreateKey(scope!.Value);
        if (created is null)
        {
            return Problems.NotFound("The account");
        }

        var key = ApiKeyResponse.From(created.Key);
        return Results.Created($"/api/accounts/me/keys/{key.KeyId}",
            new CreatedApiKeyResponse(key.KeyId, key.Prefix, key.Scope, key.CreatedAt, created.Secret));
    }

    private static async Task<IResult> RevokeKey(HttpContext context, string keyId, IGrainFactory grains) =>
        Ids.IsWellFormed(keyId) && await Account(context, grains).RevokeKey(keyId)
            ? Results.NoContent()
            : Problems.NotFound("The key");

    private static async Task<IResult> Faucet(HttpContext context, JsonElement body, IGrainFactory grains)
    {
        var reader = new JsonBody(body);
        var amount = reader.Money("amount", required: true, FaucetMax);
        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        var result = await Account(context, grains).Deposit(amount!.Value, "faucet:" + Ids.New("dep"));
        return result switch
        {
            { Status: DepositStatus.WouldOverflow } => Ledger.LedgerEndpoints.WouldOverflow(),
            { Balance: null } => Problems.NotFound("The account"),
            _ => Results.Created("/api/accounts/me", new DepositResponse(BalanceResponse.From(result.Balance))),
        };
    }

    private static async Task<IResult> ApproveWorker(string id, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The account");
        }

        var account = grains.GetGrain<IAccountGrain>(id);
        var view = await account.Get();
        if (view is null)
        {
            return Problems.NotFound("The account");
        }

        if (view.WorkerRole is null)
        {
            return Problems.InvalidState("The account does not have the worker role.");
        }

        var approved = await account.ApproveWorker();
        return approved is null ? Problems.NotFound("The account") : Results.Ok(AccountResponse.From(approved));
    }

    private static IAccountGrain Account(HttpContext context, IGrainFactory grains) =>
        grains.GetGrain<IAccountGrain>(context.User.AccountIdOf());
}
