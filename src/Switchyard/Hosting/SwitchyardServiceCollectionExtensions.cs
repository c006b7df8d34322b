using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchyard.Core.Accounts;
using Switchyard.Core.Common;
using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Gate;
using Switchyard.Hosting;
using Switchyard.Ledger;
using Switchyard.Pipeline;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Azure;
using Switchyard.Providers.Bedrock;
using Switchyard.Providers.Clients;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.Http;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Simulated;
using Switchyard.Providers.Vertex;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Sqlite;
using Switchyard.Telemetry;
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of the gateway, one method per feature (STYLE rule 6).</summary>
internal static class SwitchyardServiceCollectionExtensions
{
    public static IServiceCollection AddSwitchyard(this IServiceCollection services, GatewayOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRandomSource>(SharedRandomSource.Instance);
        services.TryAddSingleton<RouteTableHolder>();
        services.TryAddSingleton<BackgroundTasks>();
        // Invariant 8: every background service runs under supervision (SupervisedService, LedgerWriter) and never throws
        // out; should one ever do, the host keeps serving instead of stopping.
        services.Configure<HostOptions>(static o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        // HTTP results serialize with source-generated metadata only, in every build (not only where reflection is off).
        services.ConfigureHttpJsonOptions(static o => o.SerializerOptions.TypeInfoResolver = HostingJsonContext.HttpResolver);
        services.TryAddSingleton(sp => new RouteTableCompiler(
            sp.GetServices<IProviderAdapterFactory>(), sp.GetRequiredService<TimeProvider>(), options.Environment));
        services.TryAddSingleton<SwitchyardConfiguration>();
        services.AddHostedService(sp => sp.GetRequiredService<SwitchyardConfiguration>());
        services.TryAddSingleton<Inspector>();
        services.TryAddSingleton<Router>();
        services.TryAddSingleton<DeploymentStates>();
        services.TryAddSingleton<IDeploymentStates>(sp => sp.GetRequiredService<DeploymentStates>());
        services.TryAddSingleton<IDeploymentSlots>(sp => sp.GetRequiredService<DeploymentStates>());
        services.TryAddSingleton<RetryBudget>();
        services.TryAddSingleton<Executor>();
        services.AddHostedService<DeploymentProber>();
        services.TryAddSingleton<InFlightRequests>();
        services.AddRequestChain();
        services.TryAddSingleton<SwitchyardMetrics>();
        services.TryAddSingleton<ResilienceMetrics>();
        services.AddMetrics();
        services.AddTenancy();
        return services;
    }

    /// <summary>The request chain: its stages (each a singleton without per-request state) and the sequencer that runs them.</summary>
    public static IServiceCollection AddRequestChain(this IServiceCollection services)
    {
        services.TryAddSingleton<CallerStage>();
        services.TryAddSingleton<IngressStage>();
        services.TryAddSingleton<LimitStage>();
        services.TryAddSingleton<InspectStage>();
        services.TryAddSingleton<RouteStage>();
        services.TryAddSingleton<BudgetStage>();
        services.TryAddSingleton<ExecuteStage>();
        services.TryAddSingleton<StreamEgress>();
        services.TryAddSingleton<EgressStage>();
        services.TryAddSingleton<LedgerStage>();
        services.TryAddSingleton<RequestSequencer>();
        // The client formats, by name: the endpoints pick theirs by route (a new format is one more line here).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClientFormat, OpenAIClientFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClientFormat, AnthropicClientFormat>());
        services.TryAddSingleton<ClientFormats>();
        return services;
    }

    /// <summary>Stored keys in memory, rate limits, budgets and ledger retention (docs/tenancy.md).</summary>
    public static IServiceCollection AddTenancy(this IServiceCollection services)
    {
        services.TryAddSingleton<RateLimiter>();
        services.TryAddSingleton<TenantAdmission>();
        services.TryAddSingleton<TenantDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<TenantDirectory>());
        services.TryAddSingleton<LedgerRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerRetention>());
        return services;
    }

    /// <summary>The store the configuration's <c>storage.kind</c> names.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services, StoreSelection store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.PostgresConnectionString is { } connectionString
            ? services.AddPostgresStore(connectionString)
            : services.AddSqliteLedger(store.DataDir);
    }

    /// <summary>The scale-out store: one PostgreSQL database shared by every replica.</summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => new PostgresStore(connectionString));
        services.TryAddSingleton<ILedgerStore>(sp => sp.GetRequiredService<PostgresStore>().Ledger);
        services.TryAddSingleton<ITenancyStore>(sp => sp.GetRequiredService<PostgresStore>().Tenancy);
        services.TryAddSingleton<IBudgetStore>(sp => sp.GetRequiredService<PostgresStore>().Budgets);
        services.TryAddSingleton<IConsoleStore>(sp => sp.GetRequiredService<PostgresStore>().Console);
        services.TryAddSingleton<IRateLimitSync>(sp => sp.GetRequiredService<PostgresStore>().RateLimits);
        services.TryAddSingleton<ILedgerAnalytics>(sp => sp.GetRequiredService<PostgresStore>().Analytics);
        services.TryAddSingleton<RateLimitSync>();
        services.AddHostedService(sp => sp.GetRequiredService<RateLimitSync>());
        services.AddLedgerWriter();
        return services;
    }

    public static IServiceCollection AddOpenAIProvider(this IServiceCollection services)
    {
        services.TryAddSingleton<ProviderClientRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, OpenAIAdapterFactory>());
        return services;
    }

    public static IServiceCollection AddAnthropicProvider(this IServiceCollection services)
    {
        services.TryAddSingleton<ProviderClientRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, AnthropicAdapterFactory>());
        return services;
    }

    public static IServiceCollection AddGeminiProvider(this IServiceCollection services)
    {
        services.TryAddSingleton<ProviderClientRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, GeminiAdapterFactory>());
        return services;
    }

    /// <summary>The cloud providers: Azure OpenAI, Amazon Bedrock, Gemini and Claude on Vertex AI.</summary>
    public static IServiceCollection AddCloudProviders(this IServiceCollection services)
    {
        services.TryAddSingleton<ProviderClientRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, AzureOpenAIAdapterFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, BedrockAdapterFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, VertexGeminiAdapterFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, VertexAnthropicAdapterFactory>());
        return services;
    }

    public static IServiceCollection AddSimulatedProvider(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, SimulatedAdapterFactory>());
        return services;
    }

    /// <summary>The embedded store: one SQLite file under the data directory (ledger, keys, budgets).</summary>
    public static IServiceCollection AddSqliteLedger(this IServiceCollection services, string dataDir)
    {
        services.TryAddSingleton(_ => new SqliteLedgerStore(SqliteLedgerStore.PathIn(dataDir)));
        services.TryAddSingleton<ILedgerStore>(sp => sp.GetRequiredService<SqliteLedgerStore>());
        services.TryAddSingleton(sp => new SqliteTenancyStore(sp.GetRequiredService<SqliteLedgerStore>()));
        services.TryAddSingleton<ITenancyStore>(sp => sp.GetRequiredService<SqliteTenancyStore>());
        services.TryAddSingleton<IBudgetStore>(sp => sp.GetRequiredService<SqliteTenancyStore>());
        services.TryAddSingleton<ILedgerAnalytics>(sp => new SqliteAnalytics(sp.GetRequiredService<SqliteLedgerStore>()));
        services.TryAddSingleton<IConsoleStore>(sp => new SqliteConsoleStore(sp.GetRequiredService<SqliteLedgerStore>()));
        return services.AddLedgerWriter();
    }

    private static IServiceCollection AddLedgerWriter(this IServiceCollection services)
    {
        services.TryAddSingleton<LedgerWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerWriter>());
        return services;
    }
}
