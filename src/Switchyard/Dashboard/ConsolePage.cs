using Microsoft.AspNetCore.Components;
using Switchyard.Admin;

namespace Switchyard.Dashboard;

/// <summary>
/// The base of every console page: the signed-in principal and the view's query (from the URL, as the API parses it,
/// scoped to a team viewer's teams).
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    internal TimeProvider Time { get; set; } = null!;

    [Inject]
    internal ConsoleSettings Settings { get; set; } = null!;

    internal AdminPrincipal Principal => AdminAuth.PrincipalOf(HttpContext!)!;

    internal ConsoleQuery? Query { get; private set; }

    internal IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    internal bool CanChange => Principal.CanChange;

    /// <summary>Parses the URL's filters; a bad one leaves <see cref="Query"/> null and is shown on the page.</summary>
    protected void ParseQuery()
    {
        var (query, errors) = ConsoleQuery.Parse(HttpContext!.Request.Query, Time.GetUtcNow());
        Query = query?.ScopedTo(Principal);
        Errors = errors;
    }

    /// <summary>The view's filter values by parameter name (for the filter forms).</summary>
    protected IReadOnlyDictionary<string, string> FilterValues() =>
        Query is null ? new Dictionary<string, string>() : Query.Filter.Values.ToDictionary(v => ConsoleQuery.ParameterOf(v.Key), v => string.Join(',', v.Value.Select(ChartData.Label)));

    /// <summary>A chart's data for the page's script (HTML-safe JSON).</summary>
    internal static string ChartJson(ChartDto chart) => System.Text.Json.JsonSerializer.Serialize(chart, AdminV1Json.Default.ChartDto);

    internal string Link(string path, params (string Name, string? Value)[] overrides) => path + (Query?.ToQueryString(overrides) ?? "");
}
