using Microsoft.Extensions.Primitives;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
namespace Switchyard.Gate;

/// <summary>
/// The Gate stage: who is calling (bearer token or <c>x-api-key</c>, hashed and looked up in memory) and the
/// data-class header a caller may use to raise, never lower, its request's class.
/// </summary>
internal static class GateStage
{
    public const string DataClassHeader = "x-switchyard-data-class";

    public static (Caller? Caller, Problem? Error) Authenticate(HttpRequest request, RouteTable table, TenantDirectory tenants) =>
        Authenticate(request, table, tenants.Ring, tenants.Time.GetUtcNow());

    /// <summary>
    /// Finds the caller among the configuration file's keys and the stored virtual keys (<paramref name="stored"/>,
    /// the in-memory snapshot of the tenancy store), hashing the presented key once.
    /// </summary>
    public static (Caller? Caller, Problem? Error) Authenticate(HttpRequest request, RouteTable table, KeyRing stored, DateTimeOffset now)
    {
        ReadOnlySpan<char> key = default;
        var authorization = request.Headers.Authorization;
        if (!StringValues.IsNullOrEmpty(authorization))
        {
            var value = authorization.ToString().AsSpan().Trim();
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                key = value[7..].Trim();
            }
        }

        if (key.IsEmpty && request.Headers.TryGetValue("x-api-key", out var apiKey))
        {
            key = apiKey.ToString().AsSpan().Trim();
        }

        if (key.IsEmpty)
        {
            return (null, new Problem(401, "missing_api_key", "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
        }

        Span<char> hash = stackalloc char[64];
        if (!KeyRing.TryHash(key, hash) || !(table.Keys.TryFindHash(hash, out var caller) || stored.TryFindHash(hash, out caller)))
        {
            // Never echo the presented key, not even in part. Only its holder learns it was revoked.
            return (null, stored.IsRevoked(hash)
                ? new Problem(401, "revoked_api_key", "The API key provided has been revoked; ask your administrator for a new one.")
                : new Problem(401, "invalid_api_key", "Incorrect API key provided."));
        }

        if (caller.ExpiresAt is { } expires && expires <= now)
        {
            return (null, new Problem(401, "expired_api_key", "The API key provided has expired; ask your administrator for a new one (a rotated key works until the end of its overlap)."));
        }

        return (caller, null);
    }

    public static (DataClass? Requested, Problem? Error) RequestedDataClass(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(DataClassHeader, out var values) || StringValues.IsNullOrEmpty(values))
        {
            return (null, null);
        }

        return values.ToString().Trim().ToLowerInvariant() switch
        {
            "public" => (DataClass.Public, null),
            "internal" => (DataClass.Internal, null),
            "confidential" => (DataClass.Confidential, null),
            "restricted" => (DataClass.Restricted, null),
            _ => (null, new Problem(400, "invalid_header", $"Invalid {DataClassHeader} header: use public, internal, confidential or restricted.") { Param = DataClassHeader }),
        };
    }
}
