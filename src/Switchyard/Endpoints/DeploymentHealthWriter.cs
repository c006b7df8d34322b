using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Endpoints;

/// <summary>The JSON of <c>GET /admin/health/deployments</c>, written forward-only (no reflection JSON).</summary>
internal static class DeploymentHealthWriter
{
    public static string Json(RouteTable table, DeploymentStates states)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("generation", table.Generation);
            json.WriteStartArray("deployments");
            foreach (var model in table.Models.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                foreach (var d in model.Deployments)
                {
                    var r = states.Get(d.Id).Report(d.Resilience);
                    json.WriteStartObject();
                    json.WriteString("id", d.Id);
                    json.WriteString("model", model.Name);
                    json.WriteString("provider", d.ProviderName);
                    json.WriteString("zone", RouteRefusals.ZoneName(d.Zone));
                    json.WriteString("load_balancing", Snake(model.LoadBalancing.ToString()));
                    json.WriteString("breaker", Snake(r.State.ToString()));
                    json.WriteString("availability", Snake(r.Availability.ToString()));
                    json.WriteNumber("consecutive_failures", r.ConsecutiveFailures);
                    json.WriteNumber("window_attempts", r.WindowAttempts);
                    json.WriteNumber("window_failures", r.WindowFailures);
                    json.WriteNumber("open_remaining_ms", Math.Round(r.OpenRemaining.TotalMilliseconds));
                    json.WriteNumber("cooldown_remaining_ms", Math.Round(r.CooldownRemaining.TotalMilliseconds));
                    json.WriteNumber("outstanding", r.Outstanding);
                    if (d.Resilience.MaxConcurrency is { } cap)
                    {
                        json.WriteNumber("max_concurrency", cap);
                    }
                    else
                    {
                        json.WriteNull("max_concurrency");
                    }

                    if (d.Resilience.RequestsPerMinute is { } rpm)
                    {
                        json.WriteNumber("requests_per_minute", rpm);
                    }
                    else
                    {
                        json.WriteNull("requests_per_minute");
                    }

                    if (d.Resilience.TokensPerMinute is { } tpm)
                    {
                        json.WriteNumber("tokens_per_minute", tpm);
                    }
                    else
                    {
                        json.WriteNull("tokens_per_minute");
                    }

                    if ((d.Resilience.RequestsPerMinute ?? d.Resilience.TokensPerMinute) is not null)
                    {
                        // This clock minute's counts across every replica heard from (docs/tenancy.md, "Tolerances").
                        var used = states.Get(d.Id).RateUsage();
                        json.WriteNumber("requests_this_minute", used.Requests);
                        json.WriteNumber("tokens_this_minute", used.Tokens);
                    }
                    else
                    {
                        json.WriteNull("requests_this_minute");
                        json.WriteNull("tokens_this_minute");
                    }

                    json.WriteNumber("latency_ewma_ms", Math.Round(r.LatencyEwmaMs, 2));
                    json.WriteNumber("successes", r.Successes);
                    json.WriteNumber("failures", r.Failures);
                    json.WriteNumber("rate_limited", r.RateLimited);
                    json.WriteNumber("times_opened", r.TimesOpened);
                    if (r.LastProbeAt is { } at)
                    {
                        json.WriteString("last_probe_at", at);
                        json.WriteBoolean("last_probe_healthy", r.LastProbeHealthy == true);
                    }
                    else
                    {
                        json.WriteNull("last_probe_at");
                        json.WriteNull("last_probe_healthy");
                    }

                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>PascalCase enum name → snake_case (<c>HalfOpen</c> → <c>half_open</c>).</summary>
    private static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }
}
