using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Threading;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>A Kestrel server on 127.0.0.1 and a free port, answering with one request handler.</summary>
    public abstract class LoopbackServer : IAsyncDisposable, IDisposable
    {
        private WebApplication? _app;

        public Uri Url { get; private set; } = new Uri("http://127.0.0.1/");

        public LoopbackServer Start()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            // Started and stopped by its owner only: no console lifetime swallowing SIGTERM or Ctrl+C.
            builder.Services.AddSingleton<IHostLifetime, OwnerControlledLifetime>();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            _app = builder.Build();
            _app.Run(HandleAsync);
            _app.StartAsync().GetAwaiter().GetResult();
            var address = _app.Services.GetService(typeof(IServer)) is IServer server
                ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
                : throw new InvalidOperationException("No server address.");
            Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
            return this;
        }

        protected abstract Task HandleAsync(HttpContext context);

        public async ValueTask DisposeAsync()
        {
            if (_app != null)
            {
                await _app.StopAsync().ConfigureAwait(false);
                await _app.DisposeAsync().ConfigureAwait(false);
                _app = null;
            }

            GC.SuppressFinalize(this);
        }

        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

        private sealed class OwnerControlledLifetime : IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}
