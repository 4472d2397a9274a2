using System;
using System.Diagnostics;
using System.Threading;

namespace AwsDevCmdlets.Core.S3
{
    /// <summary>
    /// Bytes and items across a whole copy, shared by every transfer in it, so that one progress bar
    /// shows the total (not one bar per file). Thread-safe; a transfer that is retried takes back the
    /// bytes of the failed attempt.
    /// </summary>
    public sealed class TransferProgress
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytesDone;
        private int _itemsDone;

        public TransferProgress(long totalBytes, int totalItems)
        {
            TotalBytes = totalBytes;
            TotalItems = totalItems;
        }

        public long TotalBytes { get; }

        public int TotalItems { get; }

        public long BytesDone => Interlocked.Read(ref _bytesDone);

        public int ItemsDone => Volatile.Read(ref _itemsDone);

        public TimeSpan Elapsed => _clock.Elapsed;

        public void AddBytes(long count) => Interlocked.Add(ref _bytesDone, count);

        public void ItemDone() => Interlocked.Increment(ref _itemsDone);

        /// <summary>Bytes per second so far.</summary>
        public double Rate => Elapsed.TotalSeconds > 0 ? BytesDone / Elapsed.TotalSeconds : 0;

        /// <summary>Time left at the rate so far; null until there is a rate.</summary>
        public TimeSpan? Remaining => Rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, TotalBytes - BytesDone) / Rate) : (TimeSpan?)null;

        public int PercentComplete => TotalBytes > 0 ? (int)Math.Min(100, BytesDone * 100 / TotalBytes) : (TotalItems > 0 ? ItemsDone * 100 / TotalItems : 100);

        public string Describe() =>
            $"{Size(BytesDone)} of {Size(TotalBytes)}, {Size((long)Rate)}/s, {ItemsDone} of {TotalItems} item(s)";

        public static string Size(long bytes)
        {
            string[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
            double value = bytes;
            var unit = 0;
            while (value >= 1024 && unit < units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            return unit == 0 ? $"{bytes} B" : $"{value:0.0} {units[unit]}";
        }
    }
}
