using Switchyard.Telemetry;

namespace Switchyard.Hosting;

/// <summary>
/// A periodic background task run under supervision (invariant 8): <see cref="RunOnceAsync"/> every
/// <see cref="Interval"/>; a run that throws is logged, counted in <see cref="BackgroundTasks"/> and retried after
/// an exponential backoff (from the interval up to <see cref="MaxBackoff"/>, or the interval when that is longer).
/// No exception of a run ever reaches the host, so none can stop it. Stopping the host cancels the wait and the run.
/// </summary>
internal abstract partial class SupervisedService : BackgroundService
{
    /// <summary>The longest wait between failed runs of a task whose interval is shorter.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan _minBackoff = TimeSpan.FromMilliseconds(100);
    private readonly BackgroundTasks _tasks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    protected SupervisedService(string taskName, BackgroundTasks tasks, TimeProvider time, ILogger logger)
    {
        TaskName = taskName;
        _tasks = tasks;
        _time = time;
        _logger = logger;
        tasks.Register(taskName);
    }

    /// <summary>The task's name in logs, metrics and health documents (e.g. <c>config-reload</c>).</summary>
    public string TaskName { get; }

    /// <summary>The wait after a successful run (read before every wait, so a reload can change it).</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the gateway does while the task fails, for the log line (e.g. "serving the last key snapshot").</summary>
    protected abstract string WhileFailing { get; }

    /// <summary>True to run once as soon as the host starts instead of after one interval.</summary>
    protected virtual bool RunAtStart => false;

    /// <summary>One run of the task; an exception is a failed run.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>The wait after the <paramref name="failures"/>-th failed run in a row.</summary>
    public static TimeSpan Backoff(TimeSpan interval, int failures)
    {
        var cap = interval > MaxBackoff ? interval : MaxBackoff;
        var delay = interval > _minBackoff ? interval : _minBackoff;
        for (var i = 1; i < failures && delay < cap; i++)
        {
            delay *= 2;
        }

        return delay < cap ? delay : cap;
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = RunAtStart ? TimeSpan.Zero : Interval;
        while (true)
        {
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await RunOnceAsync(stoppingToken);
                _tasks.Succeeded(TaskName);
                delay = Interval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var failures = _tasks.Failed(TaskName, ex);
                delay = Backoff(Interval, failures);
                // The stack trace once per run of failures: enough to find a bug, without filling the log while a store is down.
                Log.RunFailed(_logger, failures == 1 ? ex : null, TaskName, BackgroundTasks.Describe(ex), failures, WhileFailing, delay.TotalSeconds);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.BackgroundTaskFailed, LogLevel.Error,
            "Background task {Task} failed ({Error}), {Failures} time(s) in a row; {WhileFailing}; retrying in {RetrySeconds} s.")]
        public static partial void RunFailed(ILogger logger, Exception? exception, string task, string error, int failures, string whileFailing, double retrySeconds);
    }
}
