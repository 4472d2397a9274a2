using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets
{
    /// <summary>
    /// The defaults set with Set-DevCredential, one set per runspace: two runspaces in one process
    /// (ForEach-Object -Parallel, a runbook worker) never see each other's. Keyed weakly, so a closed
    /// runspace takes its defaults with it.
    /// </summary>
    internal static class SessionDefaults
    {
        private static readonly ConditionalWeakTable<Runspace, CredentialSettings> ByRunspace = new ConditionalWeakTable<Runspace, CredentialSettings>();

        public static CredentialSettings? Get(Runspace? runspace) =>
            runspace != null && ByRunspace.TryGetValue(runspace, out var settings) ? settings : null;

        public static void Set(Runspace runspace, CredentialSettings settings)
        {
            lock (ByRunspace)
            {
                ByRunspace.Remove(runspace);
                ByRunspace.Add(runspace, settings);
            }
        }

        public static bool Clear(Runspace runspace)
        {
            lock (ByRunspace)
            {
                return ByRunspace.Remove(runspace);
            }
        }
    }
}
