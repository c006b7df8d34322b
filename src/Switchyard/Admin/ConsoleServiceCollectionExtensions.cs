using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchyard.Admin;
using Switchyard.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of the admin API v1 and the console (docs/console.md).</summary>
internal static class ConsoleServiceCollectionExtensions
{
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The console's Razor components are static server-rendered pages in the published (untrimmed) executable; its JSON goes through source-generated contexts.")]
    public static IServiceCollection AddConsole(this IServiceCollection services, GatewayOptions options, Switchyard.Core.Snapshot.ConsoleConfig config)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(new ConsoleSettings(config, !options.NoDashboard));
        services.TryAddSingleton<LiveTail>();
        services.TryAddSingleton<AggregateReads>();
        services.TryAddSingleton<OverviewReader>();
        services.TryAddSingleton<RequestsReader>();
        services.TryAddSingleton<RequestDetailReader>();
        services.TryAddSingleton<RoutingReader>();
        services.TryAddSingleton<SavingsReader>();
        services.TryAddSingleton<PrivacyReader>();
        services.TryAddSingleton<SpendReader>();
        services.TryAddSingleton<ProvidersReader>();
        services.TryAddSingleton<PlannerReader>();
        services.TryAddSingleton<SettingsReader>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<ConsoleSessions>();
        services.TryAddSingleton<AdminAuth>();
        services.AddRazorComponents();
        return services;
    }
}
