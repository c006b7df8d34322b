using System.Globalization;
using System.Text.Json;
using Switchyard.Core.Catalog;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Ledger;
namespace Switchyard.Admin;

/// <summary>
/// <c>GET /admin/api/v1/planner</c>: <c>switchyard plan</c> with its workload prefilled from the window's ledger volume
/// (tokens/day, input:output ratio, cached share), every configured model as an option, and the report's verdict per
/// open model that served traffic. Query parameters override the prefill (as flags do in the CLI).
/// </summary>
/// <param name="Window">The ledger window of the prefill.</param>
/// <param name="Prefill">Where the workload came from.</param>
/// <param name="TokensPerDay">Workload used.</param>
/// <param name="InputOutputRatio">Workload used.</param>
/// <param name="CachedInputFraction">Workload used.</param>
/// <param name="SelfHostModel">The open model priced for self-hosting.</param>
/// <param name="Plan">The plan, as <c>switchyard plan --json</c> prints it; null when it could not be made.</param>
/// <param name="ChartSvg">Monthly cost vs tokens/day with break-even points and the "you are here" marker.</param>
/// <param name="Errors">Why no plan could be made.</param>
/// <param name="Verdicts">The savings report's planner verdicts for the window.</param>
internal sealed record PlannerDto(WindowDto Window, string? Prefill, decimal? TokensPerDay, decimal? InputOutputRatio, decimal? CachedInputFraction, string? SelfHostModel,
    JsonElement? Plan, string? ChartSvg, IReadOnlyList<string> Errors, IReadOnlyList<PlannerVerdict> Verdicts);

/// <summary>Runs the planner for the console.</summary>
internal sealed class PlannerReader
{
    private readonly AggregateReads _reads;
    private readonly ILedgerStore _store;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;

    public PlannerReader(AggregateReads reads, ILedgerStore store, RouteTableHolder routes, TimeProvider time)
    {
        _reads = reads;
        _store = store;
        _routes = routes;
        _time = time;
    }

    public async Task<PlannerDto> ReadAsync(ConsoleQuery query, IQueryCollection parameters, CancellationToken cancellationToken)
    {
        var from = DateTimeOffset.FromUnixTimeMilliseconds(query.FromMs);
        var to = DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs);
        var rows = await _store.AggregateForReportAsync(from, to, cancellationToken);
        var window = new ReportWindow(from, to);
        var (ledgerSpec, ledgerError) = LedgerWorkload.FromLedger(rows, window, Text(parameters, "served_model"));
        var catalog = PriceCatalog.BuiltIn;
        var table = _routes.Current;
        var models = SavingsReportBuilder.ModelsOf(table, catalog);
        var report = SavingsReportBuilder.Build(rows, from, to, models, catalog, PlanningData.BuiltIn, DateOnly.FromDateTime(to.UtcDateTime));
        var errors = new List<string>();
        var apis = new Dictionary<string, ApiPriceSpec>(StringComparer.OrdinalIgnoreCase);
        var hosted = new List<string>();
        foreach (var m in models.Values.Where(m => m.Kind != ReportModelKind.SelfHosted))
        {
            apis[m.Name] = new ApiPriceSpec(m.Price.InputPerMillion, m.Price.OutputPerMillion, m.Price.CachedInputPerMillion);
            if (m.Kind == ReportModelKind.HostedOpen)
            {
                hosted.Add(m.Name);
            }
        }

        var spec = new PlanSpec
        {
            TokensPerDay = Number(parameters, "tokens_per_day", errors),
            InputOutputRatio = Number(parameters, "input_output_ratio", errors),
            CachedInputFraction = Number(parameters, "cached_input_fraction", errors),
            PeakFactor = Number(parameters, "peak_factor", errors),
            GpuHourUsd = Number(parameters, "gpu_hour_usd", errors),
            Utilization = Number(parameters, "utilization", errors),
            Gpu = Text(parameters, "gpu"),
            ApiPrices = apis,
            HostedOpen = hosted,
        };
        if (ledgerSpec is not null)
        {
            spec = spec.OverlayOn(ledgerSpec);
        }

        // The self-hosted option: the model asked for, else the first configured open model the planner can price, else
        // the first model of throughput.csv it can (a complete measurement: tokens/s with request lengths).
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var candidates = Text(parameters, "model") is { } asked ? [asked]
            : models.Values.Where(m => m.Kind != ReportModelKind.Api).SelectMany(m => m.ThroughputNames)
                .Concat(PlanningData.BuiltIn.Throughput.Select(t => t.Model)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var selfHost = candidates.FirstOrDefault(c => spec.TokensPerDay is null || spec.InputOutputRatio is null
            || PlanResolver.Resolve(spec with { Model = c }, catalog, PlanningData.BuiltIn, today).Inputs is not null) ?? candidates.FirstOrDefault();
        spec = spec with { Model = selfHost };
        if (ledgerSpec is null && spec.TokensPerDay is null)
        {
            errors.Add(ledgerError!);
        }

        if (apis.Count == 0)
        {
            errors.Add("no configured model has a per-token price to compare with");
        }

        if (selfHost is null)
        {
            errors.Add("no configured open model has a throughput measurement; pass model=… (a throughput.csv model) to price self-hosting");
        }

        JsonElement? plan = null;
        string? svg = null;
        if (errors.Count == 0)
        {
            var resolved = PlanResolver.Resolve(spec, catalog, PlanningData.BuiltIn, today);
            if (resolved.Inputs is null)
            {
                errors.AddRange(resolved.Errors);
            }
            else
            {
                var result = PlanCalculator.Calculate(resolved.Inputs, resolved.Warnings);
                using var document = JsonDocument.Parse(PlanJsonWriter.Write(result, resolved.Assumptions, null));
                plan = document.RootElement.Clone();
                svg = SvgChartRenderer.Render(ChartBuilder.Build(result));
            }
        }

        return new PlannerDto(ChartData.Window(query, _reads), spec.Source, spec.TokensPerDay, spec.InputOutputRatio, spec.CachedInputFraction, selfHost, plan, svg, errors,
            report.Planner);
    }

    private static string? Text(IQueryCollection q, string name) => q.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v[^1]) ? v[^1]!.Trim() : null;

    private static decimal? Number(IQueryCollection q, string name, List<string> errors)
    {
        if (Text(q, name) is not { } text)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        errors.Add($"{name} '{text}' is not a non-negative number");
        return null;
    }
}
