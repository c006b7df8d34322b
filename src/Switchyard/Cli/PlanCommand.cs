using System.CommandLine;
using Switchyard.Core.Catalog;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Switchyard.Storage.Sqlite;
using Switchyard.Tools.Charts;
using Switchyard.Tools.Planning;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard plan</c>: compares per-token APIs, hosted open models and self-hosting for a workload, from
/// flags and/or a YAML/JSON file (<c>--input</c>; flags win). Prints a table (or <c>--json</c>) and writes
/// <c>plan-cost.png</c> and <c>plan-cost.svg</c> into <c>--out</c>.
/// </summary>
internal static class PlanCommand
{
    public const string PngFileName = "plan-cost.png";
    public const string SvgFileName = "plan-cost.svg";

    public static Command Create(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var tokensPerDay = new Option<decimal?>("--tokens-per-day", "-n") { Description = "Input + output tokens per day." };
        var ratio = new Option<decimal?>("--input-output-ratio", "-r") { Description = "Input tokens per output token (e.g. 3)." };
        var peakFactor = new Option<decimal?>("--peak-factor") { Description = "Peak rate ÷ average rate (default 1)." };
        var cached = new Option<decimal?>("--cached-input-fraction") { Description = "Share of input tokens read from the provider's prompt cache, 0 to 1 (default 0)." };
        var latency = new Option<string?>("--latency") { Description = "interactive (default) or batch." };
        latency.AcceptOnlyFromAmong("interactive", "batch");
        var apis = new Option<string[]>("--api") { Description = "API model to compare, by catalog id or bare name (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var hosted = new Option<string[]>("--hosted-open", "--hosted") { Description = "Open model sold per token by a host (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var apiPrices = new Option<string[]>("--api-price") { Description = "Explicit price MODEL=IN/OUT[/CACHED] in USD per million tokens (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var gpu = new Option<string?>("--gpu") { Description = $"GPU type from gpus.csv (default {PlanResolver.DefaultGpu})." };
        var tier = new Option<string?>("--gpu-price-tier") { Description = "Column of gpus.csv: low, typical (default) or hyperscaler." };
        tier.AcceptOnlyFromAmong("low", "typical", "hyperscaler");
        var model = new Option<string?>("--model") { Description = "Open model to self-host; its replica throughput comes from throughput.csv." };
        var gpusPerReplica = new Option<int?>("--gpus-per-replica", "-k") { Description = "GPUs serving one replica." };
        var gpuHour = new Option<decimal?>("--gpu-hour-usd") { Description = "USD per GPU-hour (default: gpus.csv)." };
        var replicaTps = new Option<decimal?>("--replica-tokens-per-second", "-t") { Description = "Total (input + output) tokens/s one replica sustains for this request shape." };
        var utilization = new Option<decimal?>("--utilization", "--utilisation") { Description = $"Target utilisation at peak, (0, 1] (default {PlanResolver.DefaultUtilization})." };
        var minReplicas = new Option<int?>("--min-replicas") { Description = "Replicas kept for availability (default 2 interactive, 1 batch)." };
        var staff = new Option<decimal?>("--staff-usd-month") { Description = "Staff cost per month (default 0)." };
        var fixedCost = new Option<decimal?>("--fixed-usd-month") { Description = "Other fixed cost per month (default 0)." };
        var input = new Option<FileInfo?>("--input", "-i") { Description = "YAML or JSON file with the same fields in snake_case; flags override it." };
        var outDir = new Option<DirectoryInfo?>("--out", "-o") { Description = "Directory for plan-cost.png and plan-cost.svg (default: current directory)." };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var from = new Option<string?>("--from") { Description = "Derive the workload from the ledger, from this date or time (UTC)." };
        var to = new Option<string?>("--to") { Description = "End of the ledger window (exclusive; default now)." };
        var days = new Option<int?>("--days") { Description = "Ledger window of the last N days (instead of --from)." };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory of the gateway's ledger.", DefaultValueFactory = _ => "data" };
        var servedModel = new Option<string?>("--served-model") { Description = "Only the ledger traffic this model served." };

        var command = new Command("plan", "Compare API, hosted open-model and self-hosted costs for a workload, with break-even volumes.")
        {
            tokensPerDay, ratio, peakFactor, cached, latency, apis, hosted, apiPrices, gpu, tier, model, gpusPerReplica,
            gpuHour, replicaTps, utilization, minReplicas, staff, fixedCost, input, outDir, json, from, to, days, dataDir, servedModel,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var errors = new List<string>();

            var prices = new Dictionary<string, ApiPriceSpec>(StringComparer.OrdinalIgnoreCase);
            foreach (var text in parseResult.GetValue(apiPrices) ?? [])
            {
                if (ApiPriceSpec.TryParseAssignment(text, out var name, out var price))
                {
                    prices[name] = price;
                }
                else
                {
                    errors.Add($"--api-price '{text}' must be MODEL=IN/OUT or MODEL=IN/OUT/CACHED (USD per million tokens)");
                }
            }

            LatencyNeed? latencyNeed = parseResult.GetValue(latency) is { } l && PlanEnums.TryParseLatency(l, out var ln) ? ln : null;
            GpuPriceTier? priceTier = parseResult.GetValue(tier) is { } t && PlanEnums.TryParseTier(t, out var pt) ? pt : null;
            var spec = new PlanSpec
            {
                TokensPerDay = parseResult.GetValue(tokensPerDay),
                InputOutputRatio = parseResult.GetValue(ratio),
                PeakFactor = parseResult.GetValue(peakFactor),
                CachedInputFraction = parseResult.GetValue(cached),
                Latency = latencyNeed,
                Apis = parseResult.GetValue(apis) ?? [],
                HostedOpen = parseResult.GetValue(hosted) ?? [],
                ApiPrices = prices,
                Gpu = parseResult.GetValue(gpu),
                GpuPriceTier = priceTier,
                Model = parseResult.GetValue(model),
                GpusPerReplica = parseResult.GetValue(gpusPerReplica),
                GpuHourUsd = parseResult.GetValue(gpuHour),
                ReplicaTokensPerSecond = parseResult.GetValue(replicaTps),
                Utilization = parseResult.GetValue(utilization),
                MinReplicas = parseResult.GetValue(minReplicas),
                StaffUsdPerMonth = parseResult.GetValue(staff),
                FixedUsdPerMonth = parseResult.GetValue(fixedCost),
            };

            if (parseResult.GetValue(input) is { } file)
            {
                var (fileSpec, fileErrors) = PlanSpecFile.Load(file.FullName);
                errors.AddRange(fileErrors.Select(e => e.ToString()));
                spec = spec.OverlayOn(fileSpec);
            }

            if (parseResult.GetValue(from) is not null || parseResult.GetValue(to) is not null || parseResult.GetValue(days) is not null)
            {
                // Precedence: flags > --input file > the ledger's figures.
                var (ledgerSpec, ledgerError) = await FromLedgerAsync(parseResult.GetValue(dataDir)!, parseResult.GetValue(from), parseResult.GetValue(to),
                    parseResult.GetValue(days), parseResult.GetValue(servedModel), time, cancellationToken);
                if (ledgerSpec is null)
                {
                    errors.Add(ledgerError!);
                }
                else
                {
                    spec = spec.OverlayOn(ledgerSpec);
                }
            }

            if (NegativeNumbers(spec) is { Count: > 0 } negatives)
            {
                errors.AddRange(negatives);
            }

            if (errors.Count > 0)
            {
                return Fail(stderr, errors);
            }

            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var resolved = PlanResolver.Resolve(spec, PriceCatalog.BuiltIn, PlanningData.BuiltIn, today);
            if (resolved.Inputs is null)
            {
                return Fail(stderr, resolved.Errors);
            }

            var result = PlanCalculator.Calculate(resolved.Inputs, resolved.Warnings);
            var chart = ChartBuilder.Build(result);
            var directory = parseResult.GetValue(outDir)?.FullName ?? Directory.GetCurrentDirectory();
            ChartFiles files;
            try
            {
                Directory.CreateDirectory(directory);
                files = new ChartFiles(Path.Combine(directory, PngFileName), Path.Combine(directory, SvgFileName));
                await File.WriteAllBytesAsync(files.Png, PngChartRenderer.Render(chart), cancellationToken);
                await File.WriteAllTextAsync(files.Svg, SvgChartRenderer.Render(chart), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(stderr, [$"cannot write the charts to {directory}: {ex.Message}"]);
            }

            await stdout.WriteAsync(parseResult.GetValue(json)
                ? PlanJsonWriter.Write(result, resolved.Assumptions, files) + "\n"
                : PlanTextRenderer.Render(result, resolved.Assumptions, files));
            return 0;
        });

        return command;
    }

    private static List<string> NegativeNumbers(PlanSpec spec)
    {
        var errors = new List<string>();
        Check(spec.TokensPerDay, "--tokens-per-day");
        Check(spec.InputOutputRatio, "--input-output-ratio");
        Check(spec.PeakFactor, "--peak-factor");
        Check(spec.CachedInputFraction, "--cached-input-fraction");
        Check(spec.GpuHourUsd, "--gpu-hour-usd");
        Check(spec.ReplicaTokensPerSecond, "--replica-tokens-per-second");
        Check(spec.Utilization, "--utilization");
        Check(spec.StaffUsdPerMonth, "--staff-usd-month");
        Check(spec.FixedUsdPerMonth, "--fixed-usd-month");
        return errors;

        void Check(decimal? value, string name)
        {
            if (value < 0m)
            {
                errors.Add($"{name} must not be negative");
            }
        }
    }

    private static async Task<(PlanSpec? Spec, string? Error)> FromLedgerAsync(string dataDir, string? from, string? to, int? days, string? servedModel,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (window, windowError) = ReportWindow.Parse(from, to, days, time.GetUtcNow());
        if (window is null)
        {
            return (null, windowError);
        }

        var (opened, error) = await LedgerFile.OpenAsync(dataDir, cancellationToken);
        if (opened is null)
        {
            return (null, error);
        }

        using var store = opened;
        var rows = await store.AggregateForReportAsync(window.From, window.To, cancellationToken);
        var (spec, workloadError) = LedgerWorkload.FromLedger(rows, window, servedModel);
        // Planning one served model's traffic: self-host that model, with its throughput.csv measurement when there is one
        // (flags still win: --model, --replica-tokens-per-second).
        if (spec is not null && servedModel is not null && PlanningData.BuiltIn.ThroughputModelFor([servedModel]) is { } measured)
        {
            spec = spec with { Model = measured };
        }

        return (spec, workloadError);
    }

    private static int Fail(TextWriter stderr, IEnumerable<string> errors)
    {
        stderr.WriteLine("switchyard plan: cannot plan:");
        foreach (var error in errors)
        {
            stderr.WriteLine("  " + error);
        }

        return 2;
    }
}
