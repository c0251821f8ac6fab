namespace OpenConduct.Core.Sources;

/// <summary>
/// A clock whose timers wait through a delay function (<c>Task.Delay</c> in service; tests pass one that records the
/// wait and returns at once): the retry strategy's waits go through it, so they can be observed without sleeping.
/// </summary>
internal sealed class DelayTimeProvider(Func<TimeSpan, CancellationToken, Task> delay) : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new DelayTimer(delay, callback, state, dueTime);

    /// <summary>A one-shot timer (what a delay needs): fires once after its due time unless changed or disposed first.</summary>
    private sealed class DelayTimer : ITimer
    {
        private readonly Func<TimeSpan, CancellationToken, Task> delay;
        private readonly TimerCallback callback;
        private readonly object? state;
        private CancellationTokenSource? pending;

        public DelayTimer(Func<TimeSpan, CancellationToken, Task> delay, TimerCallback callback, object? state, TimeSpan dueTime)
        {
            this.delay = delay;
            this.callback = callback;
            this.state = state;
            Change(dueTime, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Exchange(ref pending, null)?.Cancel();
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            var cancellation = new CancellationTokenSource();
            pending = cancellation;
            _ = FireAsync(dueTime, cancellation.Token);
            return true;
        }

        public void Dispose() => Interlocked.Exchange(ref pending, null)?.Cancel();

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task FireAsync(TimeSpan dueTime, CancellationToken cancellationToken)
        {
            try
            {
                await delay(dueTime, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                callback(state);
            }
        }
    }
}
