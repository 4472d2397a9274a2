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
        /// until it ends. An <see cref="AwsDevException"/> that escapes it ends the cmdlet with that
        /// error; per-item errors are the work's to write with <see cref="IOutputSink.WriteError"/>.
        /// </summary>
        protected void Run(Func<IOutputSink, CancellationToken, Task> work)
        {
            using var queue = new BlockingCollection<Action<Cmdlet>>();
            var sink = new QueueSink(queue);
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
                    write(this);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: let the work notice the token and clean up (abort uploads, delete temp files)
                // before the pipeline unwinds.
                WaitQuietly(task);
                throw new PipelineStoppedException();
            }

            Exception? failure = task.Exception?.GetBaseException();
            if (failure is null)
            {
                return;
            }

            if (failure is OperationCanceledException && _stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            ThrowTerminatingError(ErrorRecords.From(failure, null));
        }

        private static void WaitQuietly(Task task)
        {
            try
            {
                task.Wait(TimeSpan.FromSeconds(30));
            }
            catch (AggregateException)
            {
                // The work failed while stopping; the stop is what the user asked for.
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

            public QueueSink(BlockingCollection<Action<Cmdlet>> queue) => _queue = queue;

            public void WriteObject(object value) => _queue.Add(c => c.WriteObject(value));

            public void WriteError(ErrorRecord error) => _queue.Add(c => c.WriteError(error));

            public void WriteError(Exception error, object? target) => _queue.Add(c => c.WriteError(ErrorRecords.From(error, target)));

            public void WriteVerbose(string message) => _queue.Add(c => c.WriteVerbose(message));

            public void WriteWarning(string message) => _queue.Add(c => c.WriteWarning(message));

            public void WriteProgress(ProgressRecord progress) => _queue.Add(c => c.WriteProgress(progress));
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
