using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>
    /// A clean AWS environment for one test: every AWS_* variable cleared, HOME and the shared
    /// credentials/config files moved to a temporary folder, the instance metadata service disabled
    /// unless the test points it at an emulator. Restores everything on dispose, so the developer's own
    /// AWS settings never leak in and no test leaks into the next. Tests using it must not run in parallel.
    /// </summary>
    public sealed class IsolatedAwsEnvironment : IDisposable
    {
        private static readonly string[] AlsoSaved = { "HOME", "USERPROFILE" };
        private readonly Dictionary<string, string?> _saved = new Dictionary<string, string?>(StringComparer.Ordinal);

        public IsolatedAwsEnvironment()
        {
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                var name = (string)entry.Key;
                if (name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase))
                {
                    Set(name, null);
                }
            }

            Folder = Path.Combine(Path.GetTempPath(), "awsdev-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
            foreach (var name in AlsoSaved)
            {
                Set(name, Folder);
            }

            CredentialsFile = Path.Combine(Folder, "credentials");
            ConfigFile = Path.Combine(Folder, "config");
            Set("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
            Set("AWS_CONFIG_FILE", ConfigFile);
            Set("AWS_EC2_METADATA_DISABLED", "true");
        }

        public string Folder { get; }

        public string CredentialsFile { get; }

        public string ConfigFile { get; }

        public IsolatedAwsEnvironment WriteCredentials(string text)
        {
            File.WriteAllText(CredentialsFile, text.Replace("\r\n", "\n", StringComparison.Ordinal));
            return this;
        }

        public IsolatedAwsEnvironment WriteConfig(string text)
        {
            File.WriteAllText(ConfigFile, text.Replace("\r\n", "\n", StringComparison.Ordinal));
            return this;
        }

        public string WriteFile(string name, string text)
        {
            var path = Path.Combine(Folder, name);
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>A shell script the current user may run (credential_process).</summary>
        public string WriteExecutable(string name, string script)
        {
            var path = WriteFile(name, script);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return path;
        }

        /// <summary>Points the metadata settings every SDK shares at <paramref name="endpoint"/>.</summary>
        public IsolatedAwsEnvironment UseImds(Uri endpoint)
        {
            Set("AWS_EC2_METADATA_DISABLED", null);
            Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.ToString().TrimEnd('/'));
            return this;
        }

        /// <summary>A loopback URL on which nothing listens: connections are refused at once.</summary>
        public static Uri ClosedLoopbackUrl()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return new Uri($"http://127.0.0.1:{port}");
        }

        public IsolatedAwsEnvironment Set(string name, string? value)
        {
            if (!_saved.ContainsKey(name))
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
            }

            Environment.SetEnvironmentVariable(name, value);
            return this;
        }

        public void Dispose()
        {
            foreach (var pair in _saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }

            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a process the test started; the temp folder is swept by the OS.
            }
        }
    }
}
