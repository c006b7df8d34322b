using System.Collections.Concurrent;
using Switchyard.Core.Snapshot;

namespace Switchyard.Providers.Http;

/// <summary>
/// What decides a provider's pooled connections: the upstream's scheme and authority, and the handler-level settings
/// (connect timeout, connection cap). TLS and proxy settings are fixed for every provider today (system trust store,
/// no proxy); when they become configurable they join this key. Two providers, or two snapshots of one provider,
/// with equal keys share one handler.
/// </summary>
public readonly record struct ConnectionKey(string Authority, TimeSpan ConnectTimeout, int MaxConnections)
{
    public static ConnectionKey Of(ProviderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var authority = config.BaseUrl is { } url ? url.GetLeftPart(UriPartial.Authority) : "(default:" + config.Type + ")";
        return new ConnectionKey(authority, config.ConnectTimeout, config.MaxConnections);
    }
}

/// <summary>
/// The provider client registry (decision 9): connections and cloud token caches outlive configuration snapshots.
/// An adapter built for a snapshot holds one lease on the handler of its <see cref="ConnectionKey"/> (and on its
/// credential source) and each call it sends holds another while it runs (a stream until it is disposed). A reload
/// that leaves a provider's settings unchanged gets the same handler back, so pools survive; the old snapshot's
/// adapters are disposed when it is replaced, and a handler no lease holds any more — no snapshot uses it and no
/// call is on it — is disposed at once. A call that reaches an adapter after its snapshot was replaced still works:
/// it leases the key's live handler, or a fresh one that is disposed when the call ends.
/// </summary>
public sealed class ProviderClientRegistry
{
    private readonly ConcurrentDictionary<EntryKey, SharedEntry> _entries = new();
    private readonly Lock _gate = new();

    /// <summary>Live connection handlers (for tests, health and the reload benchmark).</summary>
    public int HandlerCount => _entries.Keys.Count(k => k.Type == typeof(HttpMessageInvoker));

    /// <summary>Live shared credential sources (token caches).</summary>
    public int CredentialCount => _entries.Keys.Count(k => k.Type != typeof(HttpMessageInvoker));

    /// <summary>A lease on the pooled invoker for <paramref name="key"/>, created when no live one exists.</summary>
    public SharedLease<HttpMessageInvoker> Connection(ConnectionKey key) => Acquire(key, CreateConnection(key));

    /// <summary>How the handler of <paramref name="key"/> is made and disposed.</summary>
    public static Func<(HttpMessageInvoker Value, Action Dispose)> CreateConnection(ConnectionKey key) =>
        () =>
        {
            var invoker = UpstreamHttp.CreateInvoker(key);
            return (invoker, invoker.Dispose);
        };

    /// <summary>
    /// A lease on the shared value for <paramref name="key"/> (a credential source): <paramref name="create"/> builds it
    /// with what disposes it when no lease holds it any more. <paramref name="key"/> must have value equality.
    /// </summary>
    public SharedLease<T> Acquire<T>(object key, Func<(T Value, Action Dispose)> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        var full = new EntryKey(typeof(T), key);
        if (_entries.TryGetValue(full, out var live) && live.TryAcquire())
        {
            return new SharedLease<T>(live);
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(full, out live) && live.TryAcquire())
            {
                return new SharedLease<T>(live);
            }

            var (value, dispose) = create();
            var entry = new SharedEntry(this, full, value, dispose);
            _entries[full] = entry;
            return new SharedLease<T>(entry);
        }
    }

    /// <summary>Another lease on the entry <paramref name="held"/> leases, or on the key's live entry when that one is gone.</summary>
    public SharedLease<T> Reacquire<T>(SharedLease<T> held, Func<(T Value, Action Dispose)> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Entry.TryAcquire() ? new SharedLease<T>(held.Entry) : Acquire(held.Entry.Key.Key, create);
    }

    /// <summary>A value's type with its key: equal keys of different types never share.</summary>
    internal readonly record struct EntryKey(Type Type, object Key);

    internal void Retire(SharedEntry entry)
    {
        lock (_gate)
        {
            // A new entry may already stand under the key (this one reached zero, then a caller created another).
            _entries.TryRemove(new KeyValuePair<EntryKey, SharedEntry>(entry.Key, entry));
        }
    }
}
