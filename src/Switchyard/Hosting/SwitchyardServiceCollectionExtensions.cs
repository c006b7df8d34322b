using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchyard.Common;
using Switchyard.Execution;
using Switchyard.Hosting;
using Switchyard.Inspection;
using Switchyard.Ledger;
using Switchyard.Pipeline;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Simulated;
using Switchyard.Routing;
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
        services.TryAddSingleton(sp => new RouteTableCompiler(
            sp.GetServices<IProviderAdapterFactory>(), sp.GetRequiredService<TimeProvider>(), options.Environment));
        services.TryAddSingleton<SwitchyardConfiguration>();
        services.AddHostedService(sp => sp.GetRequiredService<SwitchyardConfiguration>());
        services.TryAddSingleton<Inspector>();
        services.TryAddSingleton<Router>();
        services.TryAddSingleton<DeploymentSpeedTracker>();
        services.TryAddSingleton<Executor>();
        services.TryAddSingleton<InFlightRequests>();
        services.TryAddSingleton<RequestPipeline>();
        services.TryAddSingleton<SwitchyardMetrics>();
        services.AddMetrics();
        return services;
    }

    public static IServiceCollection AddOpenAIProvider(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, OpenAIAdapterFactory>());
        return services;
    }

    public static IServiceCollection AddSimulatedProvider(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderAdapterFactory, SimulatedAdapterFactory>());
        return services;
    }

    public static IServiceCollection AddSqliteLedger(this IServiceCollection services, string dataDir)
    {
        services.TryAddSingleton<ILedgerStore>(_ => new SqliteLedgerStore(SqliteLedgerStore.PathIn(dataDir)));
        services.TryAddSingleton<LedgerWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerWriter>());
        return services;
    }
}
