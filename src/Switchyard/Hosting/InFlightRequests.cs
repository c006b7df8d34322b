namespace Switchyard.Hosting;

/// <summary>Counts accepted requests still running, so shutdown can wait for them (and their ledger records).</summary>
internal sealed class InFlightRequests
{
    private int _count;
    private TaskCompletionSource? _zero;
    private readonly Lock _lock = new();

    public int Count => Volatile.Read(ref _count);

    public void Enter() => Interlocked.Increment(ref _count);

    public void Exit()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            lock (_lock)
            {
                _zero?.TrySetResult();
            }
        }
    }

    public Task WaitForZeroAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Count == 0)
            {
                return Task.CompletedTask;
            }

            _zero ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _zero.Task.WaitAsync(cancellationToken);
        }
    }
}
