using System.Collections.Frozen;
using Switchyard.Core.Gate;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;

namespace Switchyard.Core.Route;

/// <summary>An alias with its weighted targets.</summary>
public sealed class AliasInfo
{
    public required string Name { get; init; }
    public required IReadOnlyList<(ModelInfo Model, int Weight)> Targets { get; init; }

    /// <summary>How Route orders the targets; <see cref="RouteObjective.Weighted"/> keeps the configured split.</summary>
    public RouteObjective Objective { get; init; } = RouteObjective.Weighted;

    /// <summary>Thresholds of <see cref="RouteObjective.CheapestQualifying"/>; null means the key's or the product default.</summary>
    public QualityThresholds? Thresholds { get; init; }
}

/// <summary>
/// The compiled, immutable configuration the request path reads (STYLE rule 5). A reload compiles a new one
/// and swaps it atomically; requests in flight keep the table they started with.
/// </summary>
public sealed class RouteTable
{
    public static readonly RouteTable Empty = new()
    {
        Models = FrozenDictionary<string, ModelInfo>.Empty,
        Aliases = FrozenDictionary<string, AliasInfo>.Empty,
        Keys = KeyRing.Empty,
        Server = new ServerConfig(),
        Warnings = [],
        SkippedProviders = FrozenDictionary<string, string>.Empty,
    };

    /// <summary>The retry budget shared by all requests (<c>resilience.retry_budget</c>).</summary>
    public RetryBudgetSettings RetryBudget { get; init; } = new();

    public required FrozenDictionary<string, ModelInfo> Models { get; init; }
    public required FrozenDictionary<string, AliasInfo> Aliases { get; init; }
    public required KeyRing Keys { get; init; }
    public required ServerConfig Server { get; init; }

    /// <summary>The storage section (intervals and reservation defaults are read per table; the store kind only at start-up).</summary>
    public StorageConfig Storage { get; init; } = new();

    /// <summary>Things that work but deserve attention (e.g. a provider skipped for a missing key).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Providers left out at compile time, with the reason (shown when a request needs them).</summary>
    public required FrozenDictionary<string, string> SkippedProviders { get; init; }

    /// <summary>Increments on every reload.</summary>
    public int Generation { get; init; }

    public string SourcePath { get; init; } = "";

    /// <summary>
    /// SHA-256 of the admin key read from <c>server.admin_key_env</c> when the table was compiled; null when the
    /// admin API is off. Requests never read the environment.
    /// </summary>
    public byte[]? AdminKeySha256 { get; init; }

    /// <summary>The privacy scanner, entity-class mapping and restricted-data action (the <c>privacy</c> section).</summary>
    public Inspect.Privacy.PrivacyPolicy Privacy { get; init; } = Inspect.Privacy.PrivacyPolicy.Default;

    /// <summary>When this table was compiled (the <c>created</c> of <c>/v1/models</c> entries).</summary>
    public long CreatedUnixSeconds { get; init; }

    /// <summary>The adapters built for this table, one per provider (retired with it).</summary>
    public IReadOnlyList<IProviderAdapter> Adapters { get; init; } = [];

    /// <summary>
    /// Releases what <paramref name="adapters"/> hold for their table (their leases on pooled connections and token
    /// caches, shared with later tables while settings are unchanged). Requests still in flight on them are unharmed:
    /// each call holds its own lease until it ends.
    /// </summary>
    public static void Retire(IEnumerable<IProviderAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        foreach (var adapter in adapters)
        {
            (adapter as IDisposable)?.Dispose();
        }
    }
}

/// <summary>Holds the current table; readers never lock. Publishing a new table retires the adapters of the one it replaces.</summary>
public sealed class RouteTableHolder
{
    private RouteTable _current = RouteTable.Empty;

    public RouteTable Current => Volatile.Read(ref _current);

    public void Publish(RouteTable next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Interlocked.Exchange(ref _current, next);
        if (!ReferenceEquals(previous, next))
        {
            RouteTable.Retire(previous.Adapters.Except(next.Adapters));
        }
    }
}
