using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace AwsDevCmdlets.Core.S3
{
    public enum CopyKind
    {
        Upload,
        Download,
        ServerSideCopy,
    }

    /// <summary>One file or object to copy, with both ends resolved.</summary>
    public sealed class CopyItem
    {
        public CopyKind Kind { get; set; }

        public string Source { get; set; } = string.Empty;

        public string Destination { get; set; } = string.Empty;

        public string? LocalSource { get; set; }

        public S3Location? S3Source { get; set; }

        public string? LocalDestination { get; set; }

        public S3Location? S3Destination { get; set; }

        public long Size { get; set; }

        public override string ToString() => $"{Source} -> {Destination}";
    }

    /// <summary>
    /// What to copy, as the cmdlet received it. Local paths are absolute already (the cmdlet resolves
    /// them against PowerShell's current location); <see cref="DestinationIsContainer"/> records a
    /// trailing separator, which means "into this folder or prefix" as in `aws s3 cp`.
    /// </summary>
    public sealed class CopyRequest
    {
        public IReadOnlyList<string> Sources { get; set; } = Array.Empty<string>();

        public string Destination { get; set; } = string.Empty;

        public bool DestinationIsContainer { get; set; }

        public bool Recurse { get; set; }

        public IReadOnlyList<string> Include { get; set; } = Array.Empty<string>();

        public IReadOnlyList<string> Exclude { get; set; } = Array.Empty<string>();

        /// <summary>Sizes already known for s3:// sources (objects piped from a listing): no HEAD is needed.</summary>
        public IReadOnlyDictionary<string, long> KnownSizes { get; set; } = new Dictionary<string, long>();
    }

    /// <summary>
    /// Turns sources and a destination into single copies, with the meaning `aws s3 cp` gives them:
    /// a file copied to a prefix ending in '/' (or a folder) keeps its name; -Recurse copies every file
    /// or object below the source and keeps its relative path; -Exclude and -Include filter by that
    /// relative path, in that order, a later filter winning.
    /// </summary>
    public static class CopyPlanner
    {
        public static async Task PlanAsync(CopyRequest request, S3Service? s3, Func<CopyItem, Task> onItem, Action<AwsDevException> onError, CancellationToken cancellationToken)
        {
            var filter = new PathFilter(request.Exclude, request.Include);
            var toS3 = S3Location.IsS3Uri(request.Destination);
            var destinationS3 = toS3 ? S3Location.Parse(request.Destination) : default;
            foreach (var source in request.Sources)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (S3Location.IsS3Uri(source))
                    {
                        var from = S3Location.Parse(source);
                        var service = s3 ?? throw new InvalidOperationException("An S3 source needs an S3 service.");
                        if (request.Recurse)
                        {
                            var prefix = from.Key.Length == 0 || from.Key.EndsWith("/", StringComparison.Ordinal) ? from.Key : from.Key + "/";
                            await service.ListAsync(from.Bucket, prefix, null, async item =>
                            {
                                var found = (S3ObjectInfo)item;
                                var relative = found.Key.Substring(prefix.Length);
                                if (relative.Length == 0 || found.Key.EndsWith("/", StringComparison.Ordinal) || !filter.Includes(relative))
                                {
                                    return;
                                }

                                CopyItem copy;
                                try
                                {
                                    copy = FromS3(new S3Location(from.Bucket, found.Key), found.Size, relative, request, toS3, destinationS3, inside: true);
                                }
                                catch (AwsDevException e)
                                {
                                    // One bad key (one that would land outside the folder) does not stop the rest.
                                    onError(e);
                                    return;
                                }

                                await onItem(copy).ConfigureAwait(false);
                            }, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            var size = request.KnownSizes.TryGetValue(source, out var known)
                                ? known
                                : (await service.HeadAsync(from.Bucket, from.Key, cancellationToken).ConfigureAwait(false)).Size;
                            var name = LastSegment(from.Key);
                            if (filter.Includes(name))
                            {
                                await onItem(FromS3(from, size, name, request, toS3, destinationS3, inside: false)).ConfigureAwait(false);
                            }
                        }
                    }
                    else if (Directory.Exists(source))
                    {
                        if (!request.Recurse)
                        {
                            throw new AwsDevException(ErrorIds.InvalidCopy, ErrorKind.InvalidArgument, $"'{source}' is a folder: add -Recurse to copy what it holds.", source);
                        }

                        var root = new DirectoryInfo(source);
                        foreach (var file in root.EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
                        {
                            var relative = file.FullName.Substring(root.FullName.TrimEnd(Path.DirectorySeparatorChar).Length + 1).Replace(Path.DirectorySeparatorChar, '/');
                            if (filter.Includes(relative))
                            {
                                await onItem(FromLocal(file, relative, request, toS3, destinationS3, inside: true)).ConfigureAwait(false);
                            }
                        }
                    }
                    else if (File.Exists(source))
                    {
                        var file = new FileInfo(source);
                        if (filter.Includes(file.Name))
                        {
                            await onItem(FromLocal(file, file.Name, request, toS3, destinationS3, inside: false)).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        throw new AwsDevException(ErrorIds.LocalPathNotFound, ErrorKind.ObjectNotFound, $"'{source}' does not exist.", source);
                    }
                }
                catch (AwsDevException e)
                {
                    onError(e);
                }
            }
        }

        private static CopyItem FromLocal(FileInfo file, string relative, CopyRequest request, bool toS3, S3Location destination, bool inside)
        {
            if (!toS3)
            {
                throw new AwsDevException(ErrorIds.InvalidCopy, ErrorKind.InvalidArgument,
                    $"Copying '{file.FullName}' to '{request.Destination}': one side must be an s3:// URI (use Copy-Item between local paths).", file.FullName);
            }

            var key = TargetKey(destination.Key, relative, inside || request.DestinationIsContainer || destination.Key.Length == 0 || request.Recurse);
            var to = new S3Location(destination.Bucket, key);
            return new CopyItem { Kind = CopyKind.Upload, Source = file.FullName, LocalSource = file.FullName, Destination = to.ToString(), S3Destination = to, Size = file.Length };
        }

        private static CopyItem FromS3(S3Location from, long size, string relative, CopyRequest request, bool toS3, S3Location destination, bool inside)
        {
            if (toS3)
            {
                var key = TargetKey(destination.Key, relative, inside || request.DestinationIsContainer || destination.Key.Length == 0 || request.Recurse);
                var to = new S3Location(destination.Bucket, key);
                return new CopyItem { Kind = CopyKind.ServerSideCopy, Source = from.ToString(), S3Source = from, Destination = to.ToString(), S3Destination = to, Size = size };
            }

            var intoFolder = inside || request.Recurse || request.DestinationIsContainer || Directory.Exists(request.Destination);
            var path = intoFolder ? LocalTarget(request.Destination, relative, from) : request.Destination;
            return new CopyItem { Kind = CopyKind.Download, Source = from.ToString(), S3Source = from, Destination = path, LocalDestination = path, Size = size };
        }

        /// <summary>
        /// Where a key lands below a local folder. A key is any text, "../" included: one that would land
        /// outside the folder (or is absolute) is refused rather than written there.
        /// </summary>
        internal static string LocalTarget(string folder, string relative, S3Location from)
        {
            var root = Path.GetFullPath(folder);
            var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            var target = Path.GetFullPath(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)));
            if (Path.IsPathRooted(relative.Replace('/', Path.DirectorySeparatorChar)) || !target.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            {
                throw new AwsDevException(ErrorIds.InvalidCopy, ErrorKind.InvalidData,
                    $"{from} would be written outside '{folder}' ({target}); it was not copied.", from.ToString());
            }

            return target;
        }

        private static string TargetKey(string destinationKey, string relative, bool intoPrefix)
        {
            if (!intoPrefix)
            {
                return destinationKey;
            }

            return destinationKey.Length == 0 || destinationKey.EndsWith("/", StringComparison.Ordinal) ? destinationKey + relative : destinationKey + "/" + relative;
        }

        private static string LastSegment(string key)
        {
            var trimmed = key.TrimEnd('/');
            var slash = trimmed.LastIndexOf('/');
            return slash < 0 ? trimmed : trimmed.Substring(slash + 1);
        }

        /// <summary>`aws s3 cp` filters: * matches anything (across '/'), ? one character, [seq] and [!seq] a set.</summary>
        public sealed class PathFilter
        {
            private readonly List<(Regex Pattern, bool Include)> _rules;

            public PathFilter(IEnumerable<string> exclude, IEnumerable<string> include)
            {
                _rules = exclude.Select(p => (ToRegex(p), false)).Concat(include.Select(p => (ToRegex(p), true))).ToList();
            }

            public bool Includes(string relativePath)
            {
                var included = true;
                foreach (var (pattern, include) in _rules)
                {
                    if (pattern.IsMatch(relativePath))
                    {
                        included = include;
                    }
                }

                return included;
            }

            // Hand-written: fnmatch semantics ('*' crossing '/') are not those of the framework's
            // globbing ('**'), and aws s3 cp users write patterns for the former.
            private static Regex ToRegex(string glob)
            {
                var regex = new StringBuilder("^");
                for (var i = 0; i < glob.Length; i++)
                {
                    var c = glob[i];
                    switch (c)
                    {
                        case '*':
                            regex.Append(".*");
                            break;
                        case '?':
                            regex.Append('.');
                            break;
                        case '[':
                            var close = glob.IndexOf(']', i + 2);
                            if (close < 0)
                            {
                                regex.Append(@"\[");
                                break;
                            }

                            var set = glob.Substring(i + 1, close - i - 1);
                            regex.Append('[').Append(set.StartsWith("!", StringComparison.Ordinal) ? "^" + Regex.Escape(set.Substring(1)) : Regex.Escape(set)).Append(']');
                            i = close;
                            break;
                        default:
                            regex.Append(Regex.Escape(c.ToString()));
                            break;
                    }
                }

                return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
            }
        }
    }
}
