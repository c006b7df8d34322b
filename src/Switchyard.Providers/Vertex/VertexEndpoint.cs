using System.Net.Http.Headers;
using Switchyard.Core.Execute;
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
    private readonly GoogleAccessToken _token;

    public VertexEndpoint(ProviderSettings settings, string publisher, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = settings.Config;
        var location = config.Region ?? throw new ProviderUnavailableException("a vertex provider needs a region (its location)");
        var project = config.Project ?? throw new ProviderUnavailableException("a vertex provider needs a project");
        var root = config.BaseUrl?.ToString().TrimEnd('/')
            ?? (location == "global" ? "https://aiplatform.googleapis.com/v1" : $"https://{location}-aiplatform.googleapis.com/v1");
        _modelsPrefix = $"{root}/projects/{Uri.EscapeDataString(project)}/locations/{Uri.EscapeDataString(location)}/publishers/{publisher}/models/";
        _token = GoogleAccessToken.Create(settings, time);
    }

    /// <summary>The token source (its fetch count is what the tests check caching with).</summary>
    public GoogleAccessToken Token => _token;

    public Uri ModelUri(string model, string method) => new(_modelsPrefix + Uri.EscapeDataString(model) + ":" + method);

    /// <summary>Adds <c>Authorization: Bearer</c>; null when done, else why no token could be had.</summary>
    public async ValueTask<string?> AuthorizeAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (token, problem) = await _token.GetAsync(cancellationToken);
        if (token is null)
        {
            return $"Google {_token.Source}: {problem}";
        }

        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return null;
    }

    public void Dispose() => _token.Dispose();
}
