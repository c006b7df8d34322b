namespace Switchyard.Providers.Http;

/// <summary>A credential fetched from an identity service, with the moment it stops being valid.</summary>
public sealed record ExpiringCredential<T>(T Value, DateTimeOffset ExpiresAt);

/// <summary>
/// One cloud credential (an Entra or Google access token, AWS temporary keys), fetched on first use, kept while it
/// is valid and fetched again ahead of its expiry, so no request goes out with a token about to lapse. One fetch
/// at a time: concurrent callers wait for it instead of stampeding the identity service. A failed fetch is a value
/// (the caller's request fails as an authentication problem); the next call tries again.
/// </summary>
public sealed class CachedCredential<T> : IDisposable
    where T : class
{
    /// <summary>How long before expiry a credential is renewed (Azure.Identity and Google's libraries use 5 minutes too).</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly Func<CancellationToken, Task<ExpiringCredential<T>>> _fetch;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExpiringCredential<T>? _current;

    public CachedCredential(Func<CancellationToken, Task<ExpiringCredential<T>>> fetch, TimeProvider time)
    {
        _fetch = fetch;
        _time = time;
    }

    /// <summary>How many times the identity service was asked (for tests and diagnostics).</summary>
    public int Fetches { get; private set; }

    /// <summary>The current credential, fetched again when it expires within <see cref="RefreshMargin"/>; null with the reason when the fetch failed.</summary>
    public async ValueTask<(T? Value, string? Problem)> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } fresh)
        {
            return (fresh, null);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } fetchedMeanwhile)
            {
                return (fetchedMeanwhile, null);
            }

            Fetches++;
            var next = await _fetch(cancellationToken);
            _current = next;
            return (next.Value, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Identity libraries throw their own types (AuthenticationFailedException, TokenResponseException, IOException …);
            // only the type name is kept: messages can echo request details.
            return (null, ex.GetType().Name);
        }
        finally
        {
            _gate.Release();
        }
    }

    private T? Fresh() => Volatile.Read(ref _current) is { } current && _time.GetUtcNow() < current.ExpiresAt - RefreshMargin ? current.Value : null;

    public void Dispose() => _gate.Dispose();
}
