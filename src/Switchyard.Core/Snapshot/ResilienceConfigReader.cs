using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary>Reads the <c>resilience</c> section; per-deployment policies start from the defaults, key by key.</summary>
internal static class ResilienceConfigReader
{
    private static readonly string[] _loadBalancingNames = ["weighted", "least_outstanding", "p2c_latency"];

    public static ResilienceConfig Read(YamlNodeReader? r, GatewayConfig config)
    {
        var result = new ResilienceConfig();
        if (r is null)
        {
            return result;
        }

        var defaults = r.Mapping("defaults") is { } d ? ReadPolicy(d, result.Defaults) : result.Defaults;
        var deploymentIds = config.Deployments.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        var deployments = new Dictionary<string, ResiliencePolicy>(StringComparer.Ordinal);
        foreach (var (id, reader) in r.NamedMappings("deployments"))
        {
            if (!deploymentIds.Contains(id))
            {
                reader.Error(reader.Node, reader.Path, $"no deployment with id '{id}'");
            }

            deployments[id] = ReadPolicy(reader, defaults);
        }

        var budget = result.RetryBudget;
        if (r.Mapping("retry_budget") is { } b)
        {
            budget = new RetryBudgetSettings
            {
                Ratio = b.Double("ratio", 0, 10) ?? budget.Ratio,
                MinRetries = b.Int("min_retries", 0, 1_000_000) ?? budget.MinRetries,
                Window = b.Duration("window", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)) ?? budget.Window,
            };
            b.RejectUnknownKeys();
        }

        var modelNames = config.Models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var models = new Dictionary<string, LoadBalancing>(StringComparer.Ordinal);
        foreach (var (name, reader) in r.NamedMappings("models"))
        {
            if (!modelNames.Contains(name))
            {
                reader.Error(reader.Node, reader.Path, $"no model named '{name}'");
            }

            if (LoadBalancingOf(reader, "load_balancing") is { } lb)
            {
                models[name] = lb;
            }

            reader.RejectUnknownKeys();
        }

        var resilience = new ResilienceConfig
        {
            Defaults = defaults,
            Deployments = deployments,
            RetryBudget = budget,
            LoadBalancing = LoadBalancingOf(r, "load_balancing") ?? result.LoadBalancing,
            Models = models,
        };
        r.RejectUnknownKeys();
        return resilience;
    }

    private static ResiliencePolicy ReadPolicy(YamlNodeReader r, ResiliencePolicy basis)
    {
        var policy = basis with
        {
            MaxRetries = r.Int("max_retries", 0, 10) ?? basis.MaxRetries,
            RetryBaseDelay = r.Duration("retry_base_delay", TimeSpan.Zero, TimeSpan.FromMinutes(1)) ?? basis.RetryBaseDelay,
            RetryMaxDelay = r.Duration("retry_max_delay", TimeSpan.Zero, TimeSpan.FromMinutes(5)) ?? basis.RetryMaxDelay,
            MaxRetryAfter = r.Duration("max_retry_after", TimeSpan.Zero, TimeSpan.FromMinutes(5)) ?? basis.MaxRetryAfter,
            FirstTokenTimeout = r.Duration("first_token_timeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(60)) ?? basis.FirstTokenTimeout,
            Timeout = r.Duration("timeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(60)) ?? basis.Timeout,
            RateLimitCooldown = r.Duration("rate_limit_cooldown", TimeSpan.Zero, TimeSpan.FromMinutes(10)) ?? basis.RateLimitCooldown,
            RateLimitProbeInterval = r.Duration("rate_limit_probe_interval", TimeSpan.Zero, TimeSpan.FromMinutes(10)) ?? basis.RateLimitProbeInterval,
            MaxConcurrency = r.Int("max_concurrency", 1, 1_000_000) ?? basis.MaxConcurrency,
            RequestsPerMinute = r.Int("requests_per_minute", 1, 100_000_000) ?? basis.RequestsPerMinute,
            TokensPerMinute = r.Long("tokens_per_minute", 1, 1_000_000_000_000) ?? basis.TokensPerMinute,
            ProbeInterval = r.Duration("probe_interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) ?? basis.ProbeInterval,
        };
        if (r.Mapping("breaker") is { } b)
        {
            policy = policy with
            {
                BreakerConsecutiveFailures = b.Int("consecutive_failures", 1, 1_000_000) ?? basis.BreakerConsecutiveFailures,
                BreakerFailureRatio = b.Double("failure_ratio", 0.01, 1) ?? basis.BreakerFailureRatio,
                BreakerMinimumThroughput = b.Int("minimum_throughput", 1, 1_000_000) ?? basis.BreakerMinimumThroughput,
                BreakerWindow = b.Duration("window", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? basis.BreakerWindow,
                BreakDuration = b.Duration("break_duration", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) ?? basis.BreakDuration,
            };
            b.RejectUnknownKeys();
        }

        if (policy.RetryMaxDelay < policy.RetryBaseDelay)
        {
            r.Error("retry_max_delay", "must not be shorter than retry_base_delay");
        }

        r.RejectUnknownKeys();
        return policy;
    }

    private static LoadBalancing? LoadBalancingOf(YamlNodeReader r, string key)
    {
        switch (r.String(key))
        {
            case null: return null;
            case "weighted": return LoadBalancing.Weighted;
            case "least_outstanding": return LoadBalancing.LeastOutstanding;
            case "p2c_latency": return LoadBalancing.PowerOfTwoLatency;
            case var other:
                r.Error(key, $"must be one of {string.Join(", ", _loadBalancingNames)}, not '{other}'");
                return null;
        }
    }
}
