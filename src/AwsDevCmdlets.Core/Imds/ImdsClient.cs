using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AwsDevCmdlets.Core.Imds
{
    /// <summary>
    /// A client for the EC2 instance metadata service: IMDSv2 tokens, short timeouts, and a remembered
    /// "not here" so that a machine off EC2 pays the timeout once, not on every call.
    /// Written by hand because the SDK's EC2InstanceMetadata is static (one endpoint per process, read
    /// once), retries with multi-second waits, and cannot say why it failed (hop limit, disabled, down).
    /// </summary>
    public sealed class ImdsClient
    {
        private const string TokenPath = "latest/api/token";
        private const string TokenHeader = "X-aws-ec2-metadata-token";
        private const string TtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";

        // How long a failed probe is believed. Long enough that a prompt off EC2 pays the timeout once,
        // short enough that a machine whose network comes up is noticed.
        private static readonly TimeSpan UnavailableMemory = TimeSpan.FromMinutes(5);
        private static readonly ConcurrentDictionary<string, Absence> Absent = new ConcurrentDictionary<string, Absence>();
        private static readonly ConcurrentDictionary<string, ImdsClient> Clients = new ConcurrentDictionary<string, ImdsClient>();
        private static readonly HttpClient Http = new HttpClient(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

        private readonly SemaphoreSlim _tokenLock = new SemaphoreSlim(1, 1);
        private string? _token;
        private DateTime _tokenExpiresUtc;
        private bool _useV1;

        public ImdsClient(ImdsOptions options)
        {
            Options = options;
        }

        public ImdsOptions Options { get; }

        public string ImdsVersion => _useV1 ? "IMDSv1" : "IMDSv2";

        /// <summary>One client per endpoint and settings, so that its token is reused across calls.</summary>
        public static ImdsClient For(ImdsOptions options) =>
            Clients.GetOrAdd($"{options.Endpoint}|{options.Disabled}|{options.Timeout.Ticks}|{options.Attempts}|{options.AllowV1}|{options.TokenTtlSeconds}", _ => new ImdsClient(options));

        /// <summary>Forgets that endpoints were found unavailable (for tests and long-lived hosts).</summary>
        public static void ForgetUnavailable() => Absent.Clear();

        /// <summary>True when the service answers; false, without waiting, when it is disabled or known absent.</summary>
        public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
        {
            if (Options.Disabled || IsRememberedUnavailable())
            {
                return false;
            }

            try
            {
                await EnsureTokenAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AwsDevException e) when (e.ErrorId == ErrorIds.ImdsUnavailable)
            {
                return false;
            }
        }

        /// <summary>GETs a path under /latest/ ("meta-data/instance-id"); null when the service answers 404.</summary>
        public async Task<string?> GetStringAsync(string path, CancellationToken cancellationToken)
        {
            ThrowIfUnusable();
            for (var renewed = false; ; renewed = true)
            {
                await EnsureTokenAsync(cancellationToken).ConfigureAwait(false);
                using var request = new HttpRequestMessage(HttpMethod.Get, Url("latest/" + path.TrimStart('/')));
                if (!_useV1)
                {
                    request.Headers.Add(TokenHeader, _token);
                }

                using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed && !_useV1)
                {
                    // The token expired or the service restarted: one fresh token, then give up.
                    _token = null;
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new AwsDevException(ErrorIds.ImdsUnavailable, ErrorKind.ResourceUnavailable,
                        $"The instance metadata service answered {(int)response.StatusCode} {response.ReasonPhrase} for '{path}'.", path);
                }

                return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
        }

        private async Task EnsureTokenAsync(CancellationToken cancellationToken)
        {
            if (_useV1 || (_token != null && DateTime.UtcNow < _tokenExpiresUtc))
            {
                return;
            }

            await _tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_useV1 || (_token != null && DateTime.UtcNow < _tokenExpiresUtc))
                {
                    return;
                }

                ThrowIfUnusable();
                using var request = new HttpRequestMessage(HttpMethod.Put, Url(TokenPath));
                request.Headers.Add(TtlHeader, Options.TokenTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

                // A plain GET runs beside the token PUT so that, if only the PUT times out, the hop-limit
                // diagnosis costs no extra wait: off EC2 the whole attempt stays within one timeout.
                using var probeCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var plainProbe = ProbePlainGetAsync(probeCancel.Token);
                HttpResponseMessage response;
                try
                {
                    response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (AwsDevException e) when (e.Kind == ErrorKind.OperationTimeout)
                {
                    if (await ExplainTokenTimeoutAsync(e, plainProbe).ConfigureAwait(false))
                    {
                        return;
                    }

                    throw;
                }
                finally
                {
                    probeCancel.Cancel();
                }

                using (response)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        _token = (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Trim();
                        // Renew a minute early so that a request never carries a token about to lapse.
                        _tokenExpiresUtc = DateTime.UtcNow.AddSeconds(Math.Max(1, Options.TokenTtlSeconds - 60));
                        return;
                    }

                    if (Options.AllowV1 && (response.StatusCode == HttpStatusCode.Forbidden || response.StatusCode == HttpStatusCode.NotFound || response.StatusCode == HttpStatusCode.MethodNotAllowed))
                    {
                        _useV1 = true;
                        return;
                    }

                    throw new AwsDevException(ErrorIds.ImdsUnavailable, ErrorKind.ResourceUnavailable,
                        $"The instance metadata service at {Options.Endpoint} refused an IMDSv2 token ({(int)response.StatusCode} {response.ReasonPhrase})." +
                        (Options.AllowV1 ? string.Empty : " IMDSv1 is not used unless -AllowImdsV1 is given."), Options.Endpoint);
                }
            }
            finally
            {
                _tokenLock.Release();
            }
        }

        private async Task<HttpStatusCode?> ProbePlainGetAsync(CancellationToken cancellationToken)
        {
            try
            {
                using var probe = new HttpRequestMessage(HttpMethod.Get, Url("latest/meta-data/"));
                using var response = await SendAsync(probe, cancellationToken, remember: false).ConfigureAwait(false);
                return response.StatusCode;
            }
            catch (Exception e) when (e is AwsDevException || e is OperationCanceledException)
            {
                return null;
            }
        }

        // A token PUT that times out while a plain GET answers is the signature of a hop limit of 1 seen
        // from a container: the PUT response is dropped one hop short. Say so rather than "not on EC2".
        // Returns true when IMDSv1 is allowed and answers, so the caller goes on without a token.
        private async Task<bool> ExplainTokenTimeoutAsync(AwsDevException timeout, Task<HttpStatusCode?> plainProbe)
        {
            var plainStatus = await plainProbe.ConfigureAwait(false);
            if (plainStatus is null)
            {
                return false;
            }

            if (Options.AllowV1 && plainStatus == HttpStatusCode.OK)
            {
                Absent.TryRemove(Options.Endpoint.ToString(), out _);
                _useV1 = true;
                return true;
            }

            var hopLimit = new AwsDevException(ErrorIds.ImdsUnavailable, ErrorKind.OperationTimeout,
                $"The instance metadata service at {Options.Endpoint} answers plain requests but its IMDSv2 token request timed out. " +
                "The likely cause is the token response hop limit (HttpPutResponseHopLimit = 1 seen from a container); raise it to 2 with " +
                "'aws ec2 modify-instance-metadata-options --http-put-response-hop-limit 2'.", Options.Endpoint, timeout);
            Remember(hopLimit);
            throw hopLimit;
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, bool remember = true)
        {
            Exception? last = null;
            for (var attempt = 1; attempt <= Options.Attempts; attempt++)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(Options.Timeout);
                try
                {
                    using var copy = attempt == 1 ? null : Clone(request);
                    return await Http.SendAsync(copy ?? request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    last = new TimeoutException();
                }
                catch (HttpRequestException e)
                {
                    last = e;
                }
            }

            var timedOut = last is TimeoutException;
            var unavailable = new AwsDevException(ErrorIds.ImdsUnavailable, timedOut ? ErrorKind.OperationTimeout : ErrorKind.ConnectionError,
                $"The instance metadata service at {Options.Endpoint} " +
                (timedOut ? $"did not answer within {Options.Timeout.TotalSeconds:0.###} s" : $"could not be reached ({last!.Message})") +
                $" after {Options.Attempts} attempt(s): this does not look like an EC2 instance. Set AWS_EC2_METADATA_DISABLED=true to skip it.",
                Options.Endpoint, timedOut ? null : last);
            if (remember)
            {
                Remember(unavailable);
            }

            throw unavailable;
        }

        private void Remember(AwsDevException unavailable) =>
            Absent[Options.Endpoint.ToString()] = new Absence(DateTime.UtcNow + UnavailableMemory, unavailable);

        private static HttpRequestMessage Clone(HttpRequestMessage request)
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri);
            foreach (var header in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return copy;
        }

        private void ThrowIfUnusable()
        {
            if (Options.Disabled)
            {
                throw new AwsDevException(ErrorIds.ImdsUnavailable, ErrorKind.ResourceUnavailable,
                    "The instance metadata service is disabled (AWS_EC2_METADATA_DISABLED=true).", Options.Endpoint);
            }

            if (RememberedAbsence() is AwsDevException absent)
            {
                throw new AwsDevException(absent.ErrorId, absent.Kind,
                    absent.Message + " (Remembered from a moment ago: not asking again for a few minutes.)", absent.Target);
            }
        }

        private bool IsRememberedUnavailable() => RememberedAbsence() != null;

        private AwsDevException? RememberedAbsence() =>
            Absent.TryGetValue(Options.Endpoint.ToString(), out var absence) && DateTime.UtcNow < absence.Until ? absence.Error : null;

        private sealed class Absence
        {
            public Absence(DateTime until, AwsDevException error)
            {
                Until = until;
                Error = error;
            }

            public DateTime Until { get; }

            public AwsDevException Error { get; }
        }

        private Uri Url(string relative) => new Uri(Options.Endpoint, relative);
    }
}
