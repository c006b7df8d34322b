using System.Net.Http.Headers;
using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;

namespace Switchyard.Providers.Vertex;

/// <summary>
/// What the two Vertex AI adapters share: the model URL of a project and location —
/// <c>https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}</c>
/// (<c>aiplatform.googleapis.com</c> for the <c>global</c> location; <c>base_url</c> replaces the part up to <c>/v1</c>) —
/// and the OAuth2 bearer token.
/// </summary>
public sealed class VertexEndpoint : IDisposable
{
    private readonly string _modelsPrefix;
    private readonly LeasedResource<GoogleAccessToken> _token;

    /// <summary><paramref name="token"/> is the adapter's shared token source (kept across reloads while the credentials are unchanged).</summary>
    public VertexEndpoint(ProviderSettings settings, string publisher, Func<Func<GoogleAccessToken>, LeasedResource<GoogleAccessToken>> token, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = settings.Config;
        var location = config.Region ?? throw new ProviderUnavailableException("a vertex provider needs a region (its location)");
        var project = config.Project ?? throw new ProviderUnavailableException("a vertex provider needs a project");
        var root = config.BaseUrl?.ToString().TrimEnd('/')
            ?? (location == "global" ? "https://aiplatform.googleapis.com/v1" : $"https://{location}-aiplatform.googleapis.com/v1");
        _modelsPrefix = $"{root}/projects/{Uri.EscapeDataString(project)}/locations/{Uri.EscapeDataString(location)}/publishers/{publisher}/models/";
        ArgumentNullException.ThrowIfNull(token);
        _token = token(() => GoogleAccessToken.Create(settings, time));
    }

    /// <summary>The token source (its fetch count is what the tests check caching with).</summary>
    public GoogleAccessToken Token => _token.Current;

    public Uri ModelUri(string model, string method) => new(_modelsPrefix + Uri.EscapeDataString(model) + ":" + method);

    /// <summary>Adds <c>Authorization: Bearer</c>; null when done, else why no token could be had.</summary>
    public async ValueTask<string?> AuthorizeAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var source = _token.Rent();
        var (token, problem) = await source.Value.GetAsync(cancellationToken);
        if (token is null)
        {
            return $"Google {source.Value.Source}: {problem}";
        }

        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return null;
    }

    public void Dispose() => _token.Dispose();
}
