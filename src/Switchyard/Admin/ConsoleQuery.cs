using System.Globalization;
using System.Text;
using Switchyard.Core.Reports;
namespace Switchyard.Admin;

/// <summary>
/// The filters of a console page or an admin API read, from the URL's query string (the console keeps its whole
/// state there, so a link reproduces a view and every chart point drills down with the same filters). One parser for
/// the API and the pages.
/// </summary>
internal sealed record ConsoleQuery
{
    /// <summary>Query parameter → the aggregate dimension it filters (comma-separated values, <c>(none)</c> for absent).</summary>
    public static readonly IReadOnlyDictionary<string, AggregateDimension> FilterParameters = new Dictionary<string, AggregateDimension>(StringComparer.Ordinal)
    {
        ["org"] = AggregateDimension.Org,
        ["team"] = AggregateDimension.Team,
        ["key"] = AggregateDimension.KeyName,
        ["key_id"] = AggregateDimension.KeyId,
        ["alias"] = AggregateDimension.RequestedModel,
        ["model"] = AggregateDimension.ServedModel,
        ["deployment"] = AggregateDimension.Deployment,
        ["provider"] = AggregateDimension.Provider,
        ["data_class"] = AggregateDimension.DataClass,
        ["zone"] = AggregateDimension.TrustZone,
        ["outcome"] = AggregateDimension.Outcome,
        ["objective"] = AggregateDimension.RouteObjective,
        ["task"] = AggregateDimension.TaskCategory,
        ["action"] = AggregateDimension.PrivacyAction,
    };

    /// <summary>The parameter that filters a dimension.</summary>
    public static string ParameterOf(AggregateDimension dimension) => FilterParameters.First(p => p.Value == dimension).Key;

    /// <summary>Named ranges back from now (the window's end is the end of the current hour).</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Ranges = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
        ["90d"] = TimeSpan.FromDays(90),
    };

    public const string DefaultRange = "24h";

    public const string None = "(none)";

    /// <summary>Window start (Unix ms, inclusive).</summary>
    public required long FromMs { get; init; }

    /// <summary>Window end (Unix ms, exclusive).</summary>
    public required long ToMs { get; init; }

    /// <summary>The named range, when the window is one.</summary>
    public string? Range { get; init; }

    public AggregateFilter Filter { get; init; } = AggregateFilter.None;

    public string? RequestId { get; init; }
    public decimal? MinCostUsd { get; init; }
    public decimal? MaxCostUsd { get; init; }
    public double? MinLatencyMs { get; init; }
    public double? MaxLatencyMs { get; init; }
    public RequestCursor? Cursor { get; init; }
    public int Limit { get; init; } = 50;

    /// <summary>The window's hours (aggregates count whole hours: start rounded down, end rounded up).</summary>
    public long HourFromMs => LedgerAggregator.HourOf(FromMs);

    public long HourToMs => LedgerAggregator.HourOf(ToMs) == ToMs ? ToMs : LedgerAggregator.HourOf(ToMs) + LedgerAggregator.HourMs;

    /// <summary>Series are hourly up to three days, daily beyond.</summary>
    public AggregateGrain SeriesGrain => HourToMs - HourFromMs <= 3 * LedgerAggregator.DayMs ? AggregateGrain.Hour : AggregateGrain.Day;

    /// <summary>Parses the query string; every problem is named (a 400 for the API, a message on a page).</summary>
    public static (ConsoleQuery? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var nowMs = now.ToUnixTimeMilliseconds();
        var endOfHour = LedgerAggregator.HourOf(nowMs) + LedgerAggregator.HourMs;
        string? range = Text(query, "range");
        long from, to;
        var fromText = Text(query, "from");
        var toText = Text(query, "to");
        if (fromText is not null || toText is not null)
        {
            range = null;
            to = endOfHour;
            from = endOfHour - (long)Ranges[DefaultRange].TotalMilliseconds;
            if (toText is not null && !TryInstant(toText, out to))
            {
                errors["to"] = [$"'{toText}' is not a date (yyyy-MM-dd), an ISO 8601 time or Unix milliseconds"];
            }

            if (fromText is not null && !TryInstant(fromText, out from))
            {
                errors["from"] = [$"'{fromText}' is not a date (yyyy-MM-dd), an ISO 8601 time or Unix milliseconds"];
            }
            else if (fromText is null)
            {
                from = to - (long)Ranges[DefaultRange].TotalMilliseconds;
            }

            if (errors.Count == 0 && from >= to)
            {
                errors["from"] = ["the window is empty: from must be before to"];
            }
        }
        else
        {
            range ??= DefaultRange;
            if (!Ranges.TryGetValue(range, out var span))
            {
                errors["range"] = [$"'{range}' is not one of {string.Join(", ", Ranges.Keys)}"];
                span = Ranges[DefaultRange];
            }

            to = endOfHour;
            from = endOfHour - (long)span.TotalMilliseconds;
        }

        var filter = AggregateFilter.None;
        foreach (var (name, dimension) in FilterParameters)
        {
            if (Text(query, name) is { } value)
            {
                var values = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(v => v == None ? "" : v).Distinct(StringComparer.Ordinal).ToList();
                if (values.Count > 50)
                {
                    errors[name] = ["at most 50 values"];
                }

                filter = filter.With(dimension, values);
            }
        }

        RequestCursor? cursor = null;
        if (Text(query, "cursor") is { } c)
        {
            if (RequestCursor.TryParse(c, out var parsed))
            {
                cursor = parsed;
            }
            else
            {
                errors["cursor"] = ["not a cursor returned by this API"];
            }
        }

        var limit = Number(query, "limit", errors, 1, AnalyticsSql.MaxPageSize) is { } l ? (int)l : 50;
        var result = new ConsoleQuery
        {
            FromMs = from,
            ToMs = to,
            Range = range,
            Filter = filter,
            RequestId = Text(query, "request_id"),
            MinCostUsd = (decimal?)Number(query, "min_cost", errors, 0, 1e9),
            MaxCostUsd = (decimal?)Number(query, "max_cost", errors, 0, 1e9),
            MinLatencyMs = Number(query, "min_ms", errors, 0, 1e9),
            MaxLatencyMs = Number(query, "max_ms", errors, 0, 1e9),
            Cursor = cursor,
            Limit = limit,
        };
        return (errors.Count == 0 ? result : null, errors);
    }

    /// <summary>The same filters restricted to the teams a principal may see (team viewers).</summary>
    public ConsoleQuery ScopedTo(AdminPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Teams is not { } teams)
        {
            return this;
        }

        var allowed = Filter.Values.TryGetValue(AggregateDimension.Team, out var asked) ? asked.Where(teams.Contains).ToList() : [.. teams];
        return this with { Filter = Filter.With(AggregateDimension.Team, allowed) };
    }

    /// <summary>The request list's query for this view.</summary>
    public RequestQuery ToRequestQuery() => new()
    {
        FromMs = FromMs,
        ToMs = ToMs,
        Filter = Filter,
        RequestId = RequestId,
        MinCostUsd = MinCostUsd,
        MaxCostUsd = MaxCostUsd,
        MinLatencyMs = MinLatencyMs,
        MaxLatencyMs = MaxLatencyMs,
        After = Cursor,
        Limit = Limit,
    };

    /// <summary>The query string of this view (what a link to it carries), with <paramref name="overrides"/> applied (null removes a parameter).</summary>
    public string ToQueryString(params (string Name, string? Value)[] overrides)
    {
        var parameters = new List<(string, string)>();
        if (Range is not null)
        {
            parameters.Add(("range", Range));
        }
        else
        {
            parameters.Add(("from", FromMs.ToString(CultureInfo.InvariantCulture)));
            parameters.Add(("to", ToMs.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var (dimension, values) in Filter.Values)
        {
            parameters.Add((ParameterOf(dimension), string.Join(',', values.Select(v => v.Length == 0 ? None : v))));
        }

        void AddIf(string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add((name, value));
            }
        }

        AddIf("request_id", RequestId);
        AddIf("min_cost", MinCostUsd?.ToString(CultureInfo.InvariantCulture));
        AddIf("max_cost", MaxCostUsd?.ToString(CultureInfo.InvariantCulture));
        AddIf("min_ms", MinLatencyMs?.ToString(CultureInfo.InvariantCulture));
        AddIf("max_ms", MaxLatencyMs?.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in overrides)
        {
            if (name is "from" or "to" && value is not null)
            {
                parameters.RemoveAll(p => p.Item1 == "range");
            }

            parameters.RemoveAll(p => p.Item1 == name);
            if (value is not null)
            {
                parameters.Add((name, value));
            }
        }

        var sb = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            sb.Append(sb.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb.ToString();
    }

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[^1]) ? values[^1]!.Trim() : null;

    private static double? Number(IQueryCollection query, string name, Dictionary<string, string[]> errors, double min, double max)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"'{text}' is not a number from {min} to {max}"];
        return null;
    }

    private static bool TryInstant(string text, out long ms)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ms))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            ms = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            ms = instant.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }
}
