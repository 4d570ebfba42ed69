using Gstd.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Polly;

namespace Gstd.Testing;

/// <summary>The silo's <see cref="Postgres"/> (data source and resilience pipeline) on a test database, without a silo.</summary>
public static class PostgresServices
{
    public static ServiceProvider For(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        services.AddResiliencePipeline(Postgres.Pipeline, (builder, context) =>
            Postgres.Configure(builder, context.ServiceProvider.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<Postgres>();
        return services.BuildServiceProvider();
    }
}
