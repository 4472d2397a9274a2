using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Amazon.Runtime.CredentialManagement;

namespace AwsDevCmdlets.Core.Credentials
{
    /// <summary>
    /// The SDK's profile stores (the shared credentials and config files, and on Windows the SDK's
    /// encrypted store), opened at the paths the environment names now.
    /// The SDK reads AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE and HOME once per process, in a
    /// static constructor, and ignores them if the files did not exist at that moment; a PowerShell
    /// session outlives that, so the paths are worked out here on every resolution and handed to the
    /// SDK's own parser.
    /// </summary>
    public sealed class ProfileStore : ICredentialProfileSource
    {
        private static readonly MethodInfo? ConfigPathSetter =
            typeof(SharedCredentialsFile).GetProperty(nameof(SharedCredentialsFile.ConfigFilePath))?.GetSetMethod(nonPublic: true);

        private readonly SharedCredentialsFile _shared;
        private readonly NetSDKCredentialsFile? _sdkStore;

        private ProfileStore(SharedCredentialsFile shared, NetSDKCredentialsFile? sdkStore)
        {
            _shared = shared;
            _sdkStore = sdkStore;
        }

        public string CredentialsFile { get; private set; } = string.Empty;

        public string ConfigFile { get; private set; } = string.Empty;

        public string Description => $"{CredentialsFile} and {ConfigFile}" + (_sdkStore != null ? " and the SDK store" : string.Empty);

        public static ProfileStore Open()
        {
            var home = Env("HOME") ?? Env("USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var credentials = Env(SharedCredentialsFile.SharedCredentialsFileEnvVar) ?? Path.Combine(home, ".aws", "credentials");
            var config = Env(SharedCredentialsFile.SharedConfigFileEnvVar) ?? Path.Combine(home, ".aws", "config");
            var shared = new SharedCredentialsFile(credentials);
            // Read only when AWS_CONFIG_FILE is set; otherwise the SDK reads the config file beside the
            // credentials file, which is the same ~/.aws/config unless only the credentials file moved.
            ConfigPathSetter?.Invoke(shared, new object[] { config });
            var sdkStore = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? TryOpenSdkStore() : null;
            return new ProfileStore(shared, sdkStore) { CredentialsFile = credentials, ConfigFile = config };
        }

        public bool TryGetProfile(string profileName, out CredentialProfile profile)
        {
            // The SDK store comes first on Windows, as in the SDK's own CredentialProfileStoreChain.
            if (_sdkStore != null && _sdkStore.TryGetProfile(profileName, out profile))
            {
                return true;
            }

            return _shared.TryGetProfile(profileName, out profile);
        }

        public IReadOnlyList<string> ListProfileNames()
        {
            var names = new List<string>(_shared.ListProfileNames());
            if (_sdkStore != null)
            {
                names.AddRange(_sdkStore.ListProfileNames());
            }

            return names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        }

        private static NetSDKCredentialsFile? TryOpenSdkStore()
        {
            try
            {
                return new NetSDKCredentialsFile();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                return null;
            }
        }

        private static string? Env(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }
    }
}
