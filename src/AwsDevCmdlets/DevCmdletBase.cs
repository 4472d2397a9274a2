using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using AwsDevCmdlets.Core;

namespace AwsDevCmdlets
{
    /// <summary>
    /// The base of every cmdlet in the module: a cancellation token that Ctrl+C (StopProcessing) fires,
    /// and a way to run asynchronous work off the pipeline thread while its output is written on it
    /// (PowerShell allows Write* only on the pipeline thread).
    /// </summary>
    public abstract class DevCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        protected CancellationToken CancellationToken => _stop.Token;

        /// <summary>The runspace this cmdlet runs in: the key of the session's state.</summary>
        protected Runspace? CurrentRunspace { get; private set; }

        protected override void BeginProcessing()
        {
            CurrentRunspace = Runspace.DefaultRunspace;
        }

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>
        /// Runs <paramref name="work"/> on a worker thread and drains what it writes on this thread
        /// until it ends. An exception that escapes it is written as a non-terminating error about the
        /// current pipeline item (the next item is still processed), or, when
        /// <paramref name="terminating"/>, ends the cmdlet.
        /// </summary>
        protected void Run(Func<IOutputSink, CancellationToken, Task> work, bool terminating = false)
        {
            // Bounded well below a listing page, so that a listing of a million keys waits for the pipeline
            // instead of filling memory, and a pipeline that stops early stops it before the next page.
            using var queue = new BlockingCollection<Action<Cmdlet>>(boundedCapacity: 256);
            var sink = new QueueSink(queue, _stop.Token);
            var task = Task.Run(async () =>
            {
                try
                {
                    await work(sink, _stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    queue.CompleteAdding();
                }
            });

            try
            {
                foreach (var write in queue.GetConsumingEnumerable(_stop.Token))
                {
                    try
                    {
                        write(this);
                    }
                    catch (Exception)
                    {
                        // Downstream stopped taking output (Select-Object -First, a terminating error):
                        // stop the work too, so that no further page is fetched.
                        _stop.Cancel();
                        WaitQuietly(task);
                        throw;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: let the work notice the token and clean up (abort uploads, delete temp files)
                // before the pipeline unwinds.
                WaitQuietly(task);
                throw new PipelineStoppedException();
            }

            // The work marks the queue complete in its finally block, a moment before its task ends:
            // wait for the task itself, or its failure could go unseen.
            WaitQuietly(task, Timeout.InfiniteTimeSpan);
            Exception? failure = task.Exception?.GetBaseException();
            if (failure is null)
            {
                return;
            }

            if (failure is OperationCanceledException && _stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            var record = ErrorRecords.From(failure, null);
            if (terminating)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }

        // On a stop, the work gets a bounded time to clean up (abort uploads, delete temporary files):
        // Ctrl+C must not hang on work that ignores its token.
        private static void WaitQuietly(Task task, TimeSpan? limit = null)
        {
            try
            {
                task.Wait(limit ?? TimeSpan.FromSeconds(30));
            }
            catch (AggregateException)
            {
                // Its failure is read from the task by the caller, or does not matter after a stop.
            }
        }

        public void Dispose()
        {
            _stop.Dispose();
            GC.SuppressFinalize(this);
        }

        private sealed class QueueSink : IOutputSink
        {
            private readonly BlockingCollection<Action<Cmdlet>> _queue;
            private readonly CancellationToken _stop;

            public QueueSink(BlockingCollection<Action<Cmdlet>> queue, CancellationToken stop)
            {
                _queue = queue;
                _stop = stop;
            }

            public void WriteObject(object value) => Add(c => c.WriteObject(value));

            public void WriteError(ErrorRecord error) => Add(c => c.WriteError(error));

            public void WriteError(Exception error, object? target) => Add(c => c.WriteError(ErrorRecords.From(error, target)));

            public void WriteVerbose(string message) => Add(c => c.WriteVerbose(message));

            public void WriteWarning(string message) => Add(c => c.WriteWarning(message));

            public void WriteProgress(ProgressRecord progress) => Add(c => c.WriteProgress(progress));

            private void Add(Action<Cmdlet> write) => _queue.Add(write, _stop);
        }
    }

    /// <summary>What asynchronous work may write; each call is carried to the pipeline thread.</summary>
    public interface IOutputSink
    {
        void WriteObject(object value);

        void WriteError(ErrorRecord error);

        void WriteError(Exception error, object? target);

        void WriteVerbose(string message);

        void WriteWarning(string message);

        void WriteProgress(ProgressRecord progress);
    }
}
