using System.Threading;
using System.Threading.Tasks;

namespace AwsDevCmdlets.Core
{
    public static class TaskExtensions
    {
        /// <summary>
        /// Stops waiting when the token fires, for SDK calls that take no token of their own (credential
        /// providers): Ctrl+C must return at once even if the work below it cannot be cancelled.
        /// </summary>
        public static async Task<T> WaitAsync<T>(this Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted)
            {
                return await task.ConfigureAwait(false);
            }

            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
