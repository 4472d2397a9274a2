using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AwsDevCmdlets.Loading
{
    /// <summary>
    /// PowerShell 7: the engine assembly and everything it needs (AWSSDK.*, System.Text.Json ...) load
    /// in one private AssemblyLoadContext, so the module works beside another module that already
    /// loaded a different AWSSDK.Core into the default context (AWS.Tools does).
    /// </summary>
    internal static class IsolatedDependencyResolver
    {
        internal const string EngineAssemblyName = "AwsDevCmdlets.Core";

        private static readonly object Gate = new object();
        private static IsolatedLoadContext? _context;

        public static void Register(string dependencyFolder)
        {
            lock (Gate)
            {
                if (_context != null)
                {
                    return;
                }

                // One context per process: a second import (another runspace) reuses it, since the default
                // context can only bind one engine assembly anyway.
                _context = new IsolatedLoadContext(dependencyFolder);
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
            }
        }

        public static void Unregister()
        {
            // The handler stays: another runspace in this process may still have the module imported, and
            // the default context has already bound the engine to our context for the life of the process.
        }

        // The default context asks only for what it cannot find: of ours, that is the engine assembly,
        // which the cmdlets reference. Answering it from the private context makes every further
        // reference of the engine bind there.
        private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            if (!string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal) || _context is null)
            {
                return null;
            }

            return _context.LoadEngine();
        }

        private sealed class IsolatedLoadContext : AssemblyLoadContext
        {
            private readonly string _folder;

            public IsolatedLoadContext(string folder)
            {
                _folder = folder;
            }

            public Assembly LoadEngine()
            {
                var path = Path.Combine(_folder, EngineAssemblyName + ".dll");
                if (!File.Exists(path))
                {
                    // Never hand the question back to the default context: it would ask us again, forever.
                    throw new FileNotFoundException($"AwsDevCmdlets is incomplete: '{path}' is missing. Rebuild or reinstall the module.", path);
                }

                return LoadFromAssemblyPath(path);
            }

            protected override Assembly? Load(AssemblyName name)
            {
                var simpleName = name.Name ?? string.Empty;
                if (simpleName == EngineAssemblyName)
                {
                    return LoadEngine();
                }

                // The types that cross into PowerShell, and PowerShell itself, come from the default context.
                if (simpleName == "AwsDevCmdlets" || simpleName == "AwsDevCmdlets.Model" || simpleName == "System.Management.Automation")
                {
                    return null;
                }

                var privateCopy = Path.Combine(_folder, simpleName + ".dll");
                if (IsFrameworkName(simpleName))
                {
                    // Prefer the runtime's own copy; fall back to ours only for what the shared framework
                    // lacks (System.IO.Hashing) or has in an older version than the SDK was built against.
                    try
                    {
                        return Default.LoadFromAssemblyName(name);
                    }
                    catch (Exception e) when (e is FileNotFoundException || e is FileLoadException)
                    {
                        return File.Exists(privateCopy) ? LoadFromAssemblyPath(privateCopy) : null;
                    }
                }

                return File.Exists(privateCopy) ? LoadFromAssemblyPath(privateCopy) : null;
            }

            private static bool IsFrameworkName(string name) =>
                name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal) ||
                name == "System" || name == "netstandard" || name == "mscorlib" || name == "Microsoft.Bcl.AsyncInterfaces";
        }
    }
}
