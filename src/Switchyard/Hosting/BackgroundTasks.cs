using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchyard.Telemetry;

namespace Switchyard.Hosting;

/// <summary>
/// What every background task of the host (configuration reload, ledger writer, key poll, rate-limit exchange,
/// probes, retention) last did: failures counted, the first failure of the current run of failures remembered
/// (<see cref="BackgroundTaskStatus.FailingSince"/>), cleared by the next success. Health documents read it
/// (<c>/health/ready</c> names the failing tasks, <c>/admin/health</c> shows the last error) and the meter
/// exports it (<c>switchyard.background.failures</c>, <c>switchyard.background.failing</c>). Invariant 8: a task
/// that fails is retried, never allowed to stop the host.
/// </summary>
internal sealed class BackgroundTasks
{
    private readonly ConcurrentDictionary<string, Entry> _tasks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Counter<long> _failures;

    public BackgroundTasks(TimeProvider time, IMeterFactory meters)
    {
        _time = time;
        var meter = meters.Create(SwitchyardMetrics.MeterName);
        _failures = meter.CreateCounter<long>("switchyard.background.failures", unit: "{failure}",
            description: "failures of a background task (each is logged and retried)");
        meter.CreateObservableGauge("switchyard.background.failing", Observe, unit: "{task}",
            description: "1 while a background task's last run failed");
    }

    /// <summary>Makes a task known (shown as healthy before its first run).</summary>
    public void Register(string name) => _tasks.GetOrAdd(name, static _ => new Entry());

    /// <summary>A run of <paramref name="name"/> completed: the task is healthy again.</summary>
    public void Succeeded(string name)
    {
        var entry = _tasks.GetOrAdd(name, static _ => new Entry());
        lock (entry)
        {
            entry.Consecutive = 0;
            entry.FailingSince = null;
            entry.LastSuccess = _time.GetUtcNow();
        }
    }

    /// <summary>A run of <paramref name="name"/> failed; returns how many runs in a row have failed.</summary>
    public int Failed(string name, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var entry = _tasks.GetOrAdd(name, static _ => new Entry());
        int consecutive;
        lock (entry)
        {
            var now = _time.GetUtcNow();
            entry.FailingSince ??= now;
            entry.LastFailure = now;
            entry.Total++;
            consecutive = ++entry.Consecutive;
            entry.LastError = Describe(exception);
        }

        if (_failures.Enabled)
        {
            _failures.Add(1, new KeyValuePair<string, object?>("switchyard.task", name));
        }

        return consecutive;
    }

    /// <summary>Every known task, by name.</summary>
    public IReadOnlyList<BackgroundTaskStatus> Snapshot()
    {
        var list = new List<BackgroundTaskStatus>(_tasks.Count);
        foreach (var (name, entry) in _tasks)
        {
            lock (entry)
            {
                list.Add(new BackgroundTaskStatus(name, entry.FailingSince is not null, entry.FailingSince, entry.Consecutive, entry.Total,
                    entry.LastError, entry.LastFailure, entry.LastSuccess));
            }
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>The exception's type and message, one line (messages of our stores and parsers carry no secrets).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message.ReplaceLineEndings(" ");
        return exception.GetType().Name + ": " + (message.Length > 500 ? message[..500] + "…" : message);
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        foreach (var status in Snapshot())
        {
            yield return new Measurement<int>(status.Failing ? 1 : 0, new KeyValuePair<string, object?>("switchyard.task", status.Name));
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset? FailingSince;
        public DateTimeOffset? LastFailure;
        public DateTimeOffset? LastSuccess;
        public int Consecutive;
        public long Total;
        public string? LastError;
    }
}

/// <summary>One background task as health documents show it.</summary>
internal sealed record BackgroundTaskStatus(string Name, bool Failing, DateTimeOffset? FailingSince, int ConsecutiveFailures, long TotalFailures,
    string? LastError, DateTimeOffset? LastFailure, DateTimeOffset? LastSuccess);
