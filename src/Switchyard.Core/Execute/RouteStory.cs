using System.Globalization;
using System.Text;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Execute;

/// <summary>
/// The route a request took, in one line: the <c>x-switchyard-route</c> header and the ledger's route reason (one text,
/// so they always agree). It starts with the plan's choice and says what became of it: nothing more when the choice
/// served at the first try; "served by X on try N after …" after retries; "fell back to X after Y: reason" when another
/// candidate served; "failed: Y: reason; Z: reason" when none did. Reasons come from the attempts the ledger keeps.
/// </summary>
public static class RouteStory
{
    /// <summary>The story of <paramref name="outcome"/> under <paramref name="plan"/>; the plan's summary alone when nothing happened to tell.</summary>
    public static string Tell(RoutePlan plan, Outcome outcome)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcome);
        var attempts = outcome.Attempts;
        var served = outcome.Result.IsSuccess ? outcome.Served?.Deployment.Id : null;
        if (attempts.Count == 0 || (attempts.Count == 1 && served is not null))
        {
            // The common case: the plan's choice served at once (no allocation).
            return plan.Summary;
        }

        var runs = Runs(attempts);
        var story = new StringBuilder(plan.Summary, plan.Summary.Length + 64);
        if (served is null)
        {
            story.Append("; failed: ");
            AppendRuns(story, runs, runs.Count);
            return story.ToString();
        }

        var last = runs[^1];
        if (runs.Count == 1)
        {
            story.Append("; served by ").Append(last.DeploymentId);
            if (last.Tries > 1)
            {
                story.Append(" on try ").Append(last.Tries.ToString(CultureInfo.InvariantCulture)).Append(" after ").Append(last.FirstFailure ?? "a failure");
            }

            if (last.WaitedMs > 0)
            {
                story.Append(last.Tries > 1 ? ", having waited " : " after waiting ");
                AppendWait(story, last);
            }

            return story.ToString();
        }

        story.Append("; fell back to ").Append(last.DeploymentId).Append(" after ");
        AppendRuns(story, runs, runs.Count - 1);
        if (last.Tries > 1)
        {
            story.Append(" (served on try ").Append(last.Tries.ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        return story.ToString();
    }

    /// <summary>What an attempt's recorded status says, in words: <c>upstream 503</c>, <c>timeout</c>, <c>cooling down after a 429</c>, …</summary>
    public static string Reason(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var code = attempt.UpstreamStatusCode;
        return attempt.Status switch
        {
            "UpstreamError" when code == 0 => "connection broken",
            "UpstreamError" or "RateLimited" or "AuthFailed" or "Rejected" => "upstream " + code.ToString(CultureInfo.InvariantCulture),
            "Timeout" => "timeout",
            "ConnectFailed" => "unreachable",
            "InvalidResponse" => "invalid response",
            "ClientCanceled" => "client disconnected",
            "Skipped:CoolingDown" => "cooling down after a 429",
            "Waited:CoolingDown" => "waited out its rate-limit cool-down",
            "Skipped:CircuitOpen" => "circuit open",
            "Skipped:AtCapacity" => "at its concurrency cap",
            "Skipped:OverRateLimit" => "over its requests-per-minute limit",
            "Skipped:OverTokenLimit" => "over its tokens-per-minute limit",
            var other when other.StartsWith("Refused:", StringComparison.Ordinal) => "refused (" + other["Refused:".Length..] + ")",
            var other => other,
        };
    }

    /// <summary>True for an attempt that reached (or tried to reach) the upstream, not one skipped or refused before sending.</summary>
    public static bool WasSent(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return !attempt.Status.Contains(':', StringComparison.Ordinal);
    }

    private static void AppendRuns(StringBuilder story, List<Run> runs, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var run = runs[i];
            story.Append(i == 0 ? "" : "; ").Append(run.DeploymentId).Append(": ").Append(run.LastReason);
            if (run.Tries > 1 || run.WaitedMs > 0)
            {
                story.Append(" (");
                if (run.Tries > 1)
                {
                    story.Append(run.Tries.ToString(CultureInfo.InvariantCulture)).Append(" tries").Append(run.WaitedMs > 0 ? ", waited " : "");
                }
                else
                {
                    story.Append("waited ");
                }

                if (run.WaitedMs > 0)
                {
                    AppendWait(story, run);
                }

                story.Append(')');
            }
        }
    }

    private static void AppendWait(StringBuilder story, Run run) =>
        story.Append(Math.Ceiling(run.WaitedMs).ToString(CultureInfo.InvariantCulture)).Append("ms for its rate-limit cool-down");

    /// <summary>Consecutive attempts on one deployment (its try and retries), in order.</summary>
    private static List<Run> Runs(IReadOnlyList<AttemptRecord> attempts)
    {
        var runs = new List<Run>(attempts.Count);
        foreach (var attempt in attempts)
        {
            var sent = WasSent(attempt) ? 1 : 0;
            var waited = attempt.Status.StartsWith("Waited:", StringComparison.Ordinal) ? attempt.DurationMs : 0;
            var failure = attempt.Status == "Success" || waited > 0 ? null : Reason(attempt);
            if (runs.Count > 0 && runs[^1].DeploymentId == attempt.DeploymentId)
            {
                var run = runs[^1];
                runs[^1] = run with
                {
                    Tries = run.Tries + sent,
                    LastReason = failure ?? run.LastReason,
                    FirstFailure = run.FirstFailure ?? failure,
                    WaitedMs = run.WaitedMs + waited,
                };
            }
            else
            {
                runs.Add(new Run(attempt.DeploymentId, sent, failure ?? "served", failure, waited));
            }
        }

        return runs;
    }

    private readonly record struct Run(string DeploymentId, int Tries, string LastReason, string? FirstFailure, double WaitedMs);
}
