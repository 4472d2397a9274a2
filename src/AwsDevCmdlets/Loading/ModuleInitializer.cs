using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace AwsDevCmdlets.Loading
{
    /// <summary>
    /// Runs when the module is imported: teaches the runtime where the isolated engine and the AWS SDK
    /// live. Nothing else happens at import: no SDK type is touched and no network call is made.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        // The engine's net8.0 build where the runtime is .NET 8 or later (PowerShell 7.4+), else netstandard2.0.
        internal static string DependencyFolder =>
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "deps",
                !IsWindowsPowerShell && Environment.Version.Major >= 8 ? "net8.0" : "netstandard2.0");

        public void OnImport()
        {
            if (IsWindowsPowerShell)
            {
                DesktopDependencyResolver.Register(DependencyFolder);
            }
            else
            {
                // A separate class, so that Windows PowerShell never JIT-compiles code that names
                // AssemblyLoadContext, which its runtime does not have.
                IsolatedDependencyResolver.Register(DependencyFolder);
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (IsWindowsPowerShell)
            {
                DesktopDependencyResolver.Unregister();
            }
            else
            {
                IsolatedDependencyResolver.Unregister();
            }
        }

        private static bool IsWindowsPowerShell =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
    }
}
