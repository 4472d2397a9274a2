using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsDevCmdlets.Core.Credentials;
using AwsDevCmdlets.Core.S3;

namespace AwsDevCmdlets.Commands
{
    /// <summary>
    /// Copies files to S3, objects to files, and objects to objects (server-side), like `aws s3 cp`:
    /// many items and the parts of large ones in parallel, one progress bar for the whole copy, and a
    /// non-terminating error for an item that fails while the rest carry on.
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "DevS3Item", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(S3CopyResult))]
    public sealed class CopyDevS3ItemCommand : AwsCmdletBase
    {
        private const string PathSet = "Path";
        private const string ObjectSet = "Object";
        private readonly List<string> _sources = new List<string>();
        private readonly Dictionary<string, long> _knownSizes = new Dictionary<string, long>(StringComparer.Ordinal);

        /// <summary>Local paths (wildcards allowed) or s3:// URIs. Binds the FullName of files.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [Alias("Uri", "FullName", "Path")]
        [ValidateNotNullOrEmpty]
        public string[] Source { get; set; } = Array.Empty<string>();

        /// <summary>
        /// An object from Get-DevS3Object: its size is known, so it needs no HEAD before the copy. A scalar,
        /// so that the pipeline binds it here by type before it binds its Uri to -Source by name.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        [ValidateNotNull]
        public S3ObjectInfo? InputObject { get; set; }

        /// <summary>A local path or an s3:// URI; a trailing '/' means "into this folder or prefix".</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ObjectSet)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter Recurse { get; set; }

        // Empty lists are allowed: a runbook passes on whatever filters it was given, often none.
        [Parameter]
        [AllowEmptyCollection]
        public string[] Include { get; set; } = Array.Empty<string>();

        [Parameter]
        [AllowEmptyCollection]
        public string[] Exclude { get; set; } = Array.Empty<string>();

        /// <summary>Requests in flight at once, across items and parts.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>The size of the parts large files are cut into, in bytes (5 MiB to 5 GiB).</summary>
        [Parameter]
        [ValidateRange(5L * 1024 * 1024, 5L * 1024 * 1024 * 1024)]
        public long PartSize { get; set; } = 8 * TransferOptions.MiB;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ObjectSet)
            {
                _sources.Add(InputObject!.Uri);
                _knownSizes[InputObject.Uri] = InputObject.Size;
                return;
            }

            foreach (var source in Source)
            {
                if (S3Location.IsS3Uri(source))
                {
                    _sources.Add(source);
                    continue;
                }

                try
                {
                    _sources.AddRange(ResolveLocal(source));
                }
                catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException)
                {
                    WriteError(ErrorRecords.From(new AwsDevException(ErrorIds.LocalPathNotFound, ErrorKind.ObjectNotFound, $"'{source}' does not exist.", source, e), source));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_sources.Count == 0)
            {
                return;
            }

            WriteVerbose($"Planning the copy of {_sources.Count} source(s), {_knownSizes.Count} of known size.");
            var request = new CopyRequest
            {
                Sources = _sources,
                Destination = S3Location.IsS3Uri(Destination) ? Destination : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination),
                DestinationIsContainer = Destination.EndsWith("/", StringComparison.Ordinal) || Destination.EndsWith("\\", StringComparison.Ordinal),
                Recurse = Recurse,
                Include = Include.Where(p => !string.IsNullOrEmpty(p)).ToList(),
                Exclude = Exclude.Where(p => !string.IsNullOrEmpty(p)).ToList(),
                KnownSizes = _knownSizes,
            };

            // Plan first (listing S3 where a source is a prefix), then ask ShouldProcess on this thread for
            // each item (-WhatIf lists exactly what would be copied), then copy what was confirmed.
            var planned = new List<CopyItem>();
            AwsContext? context = null;
            Run(async (output, cancellationToken) =>
            {
                if (!S3Location.IsS3Uri(request.Destination))
                {
                    // Validated up front: a destination that cannot be written fails once, not per item.
                    if (File.Exists(request.Destination) && request.DestinationIsContainer)
                    {
                        throw new AwsDevException(ErrorIds.InvalidCopy, ErrorKind.InvalidArgument, $"'{Destination}' is a file, not a folder.", Destination);
                    }
                }
                else
                {
                    S3Location.Parse(request.Destination);
                }

                context = await ResolveContextAsync(cancellationToken).ConfigureAwait(false);
                using var s3 = new S3Service(context);
                await CopyPlanner.PlanAsync(request, s3, item =>
                {
                    planned.Add(item);
                    return Task.CompletedTask;
                }, error => output.WriteError(error, error.Target), cancellationToken).ConfigureAwait(false);
            }, terminating: true);

            var confirmed = planned.Where(item => ShouldProcess(item.Destination, $"Copy from {item.Source}")).ToList();
            if (confirmed.Count == 0 || context is null)
            {
                return;
            }

            Run((output, cancellationToken) => CopyAllAsync(context, confirmed, output, cancellationToken), terminating: true);
        }

        private async Task CopyAllAsync(AwsContext context, IReadOnlyList<CopyItem> items, IOutputSink output, CancellationToken cancellationToken)
        {
            using var s3 = new S3Service(context);
            var progress = new TransferProgress(items.Sum(i => i.Size), items.Count);
            var transfer = new S3Transfer(s3, new TransferOptions { Concurrency = ThrottleLimit, PartSize = PartSize, MultipartThreshold = PartSize }, progress);
            using var itemSlots = new SemaphoreSlim(ThrottleLimit);
            using var reporting = new CancellationTokenSource();
            var reporter = ReportProgressAsync(progress, output, reporting.Token);
            try
            {
                await Task.WhenAll(items.Select(async item =>
                {
                    await itemSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        await transfer.RunAsync(item, cancellationToken).ConfigureAwait(false);
                        output.WriteVerbose($"Copied {item.Source} to {item.Destination} ({TransferProgress.Size(item.Size)}).");
                        if (PassThru)
                        {
                            output.WriteObject(Result(item, CopyStatus.Copied, clock.Elapsed));
                        }
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        output.WriteError(Core.AwsErrors.Translate(e, $"Copying {item.Source} to {item.Destination}", item.Source), item.Source);
                        if (PassThru)
                        {
                            output.WriteObject(Result(item, CopyStatus.Failed, clock.Elapsed));
                        }
                    }
                    finally
                    {
                        progress.ItemDone();
                        itemSlots.Release();
                    }
                })).ConfigureAwait(false);
            }
            finally
            {
                reporting.Cancel();
                await reporter.ConfigureAwait(false);
                output.WriteProgress(new ProgressRecord(ProgressId, "Copy-DevS3Item", progress.Describe()) { RecordType = ProgressRecordType.Completed });
            }
        }

        private const int ProgressId = 0x5353;

        private static async Task ReportProgressAsync(TransferProgress progress, IOutputSink output, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(500, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var record = new ProgressRecord(ProgressId, "Copy-DevS3Item", progress.Describe()) { PercentComplete = progress.PercentComplete };
                if (progress.Remaining is TimeSpan remaining)
                {
                    record.SecondsRemaining = (int)Math.Min(int.MaxValue, remaining.TotalSeconds);
                }

                output.WriteProgress(record);
            }
        }

        private static S3CopyResult Result(CopyItem item, CopyStatus status, TimeSpan duration) =>
            new S3CopyResult { Source = item.Source, Destination = item.Destination, Size = item.Size, Status = status, Duration = duration };

        private IEnumerable<string> ResolveLocal(string source)
        {
            if (WildcardPattern.ContainsWildcardCharacters(source))
            {
                return SessionState.Path.GetResolvedProviderPathFromPSPath(source, out _);
            }

            return new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(source) };
        }
    }
}
