using System;
using System.IO;
using System.Reflection;

namespace AwsDevCmdlets.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 has no AssemblyLoadContext: the private folder is served through
    /// AppDomain.AssemblyResolve instead. Strong-named assemblies of different versions (AWSSDK.Core
    /// 3.3.0.0 and 4.0.0.0) can live side by side in one AppDomain when loaded by path.
    /// </summary>
    internal static class DesktopDependencyResolver
    {
        private static string? _folder;

        [ThreadStatic]
        private static bool _resolving;

        public static void Register(string dependencyFolder)
        {
            if (_folder != null)
            {
                return;
            }

            _folder = dependencyFolder;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public static void Unregister()
        {
            // Kept for the life of the process, as on PowerShell 7: other runspaces may still use the module.
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            if (_resolving || _folder is null)
            {
                return null;
            }

            var name = new AssemblyName(args.Name).Name;
            var path = Path.Combine(_folder, name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            try
            {
                _resolving = true;
                return Assembly.LoadFrom(path);
            }
            finally
            {
                _resolving = false;
            }
        }
    }
}
