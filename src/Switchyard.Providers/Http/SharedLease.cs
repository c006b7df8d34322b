namespace Switchyard.Providers.Http;

/// <summary>
/// One value of the <see cref="ProviderClientRegistry"/> with its count of leases: created with one, disposed when the
/// last is released. A count that reached zero never rises again (<see cref="TryAcquire"/> fails), so a disposed value
/// is never handed out.
/// </summary>
public sealed class SharedEntry
{
    private readonly ProviderClientRegistry _registry;
    private readonly Action _dispose;
    private int _leases = 1;

    internal SharedEntry(ProviderClientRegistry registry, ProviderClientRegistry.EntryKey key, object value, Action dispose)
    {
        _registry = registry;
        Key = key;
        Value = value;
        _dispose = dispose;
    }

    internal ProviderClientRegistry.EntryKey Key { get; }

    public object Value { get; }

    /// <summary>Leases held now (0 once disposed).</summary>
    public int Leases => Volatile.Read(ref _leases);

    internal bool TryAcquire()
    {
        var current = Volatile.Read(ref _leases);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _leases, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0)
        {
            _registry.Retire(this);
            _dispose();
        }
    }
}

/// <summary>One hold on a shared value; disposing it releases the hold (once, however often it is disposed).</summary>
public sealed class SharedLease<T> : IDisposable
    where T : class
{
    private int _released;

    internal SharedLease(SharedEntry entry) => Entry = entry;

    public SharedEntry Entry { get; }

    public T Value => (T)Entry.Value;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Entry.Release();
        }
    }
}

/// <summary>
/// An adapter's hold on a shared value for the life of its snapshot, and the way each call leases it: the held value
/// while it lives, else the key's live one (or a fresh one) when the snapshot was replaced and the value released.
/// </summary>
public sealed class LeasedResource<T> : IDisposable
    where T : class
{
    private readonly ProviderClientRegistry _registry;
    private readonly Func<(T Value, Action Dispose)> _create;
    private readonly SharedLease<T> _held;

    public LeasedResource(ProviderClientRegistry registry, object key, Func<(T Value, Action Dispose)> create)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _create = create;
        _held = registry.Acquire(key, create);
    }

    /// <summary>The value this adapter was built with (for diagnostics and tests; calls use <see cref="Rent"/>).</summary>
    public T Current => _held.Value;

    /// <summary>A lease for one call; dispose it when the call is done with the value.</summary>
    public SharedLease<T> Rent() => _registry.Reacquire(_held, _create);

    public void Dispose() => _held.Dispose();
}
