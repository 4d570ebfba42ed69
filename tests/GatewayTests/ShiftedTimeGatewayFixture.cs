using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gstd.GatewayTests;

/// <summary>A gateway whose wall clock a test moves forward (expiries without waiting).</summary>
public sealed class ShiftedTimeGatewayFixture : GatewayFixture
{
    public ShiftedTime Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
