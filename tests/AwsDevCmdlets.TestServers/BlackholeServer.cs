using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>
    /// Accepts TCP connections on 127.0.0.1 and never answers: to a client, exactly what a metadata
    /// address whose packets are dropped looks like off EC2, without leaving the loopback interface.
    /// </summary>
    public sealed class BlackholeServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly ConcurrentBag<TcpClient> _held = new ConcurrentBag<TcpClient>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _connections;

        public BlackholeServer()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
            _ = AcceptAsync();
        }

        public Uri Url { get; }

        public int Connections => _connections;

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    _held.Add(await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false));
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is SocketException)
            {
                // Stopped.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            foreach (var client in _held)
            {
                client.Dispose();
            }

            _stop.Dispose();
        }
    }
}
