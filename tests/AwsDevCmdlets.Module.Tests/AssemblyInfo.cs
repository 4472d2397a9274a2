using System.Runtime.CompilerServices;

// Tests change process-wide environment variables (AWS_*, HOME): they run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace AwsDevCmdlets.Module.Tests;

internal static class ConflictingSdkFirst
{
    /// <summary>
    /// Before any test imports the module, load AWSSDK.Core 3.7 into the default context, as a session
    /// that imported AWS.Tools first would have: every test then runs beside the conflicting version.
    /// </summary>
    [ModuleInitializer]
    internal static void LoadOlderAwsSdk() => Loaded = typeof(Amazon.Runtime.AWSCredentials).Assembly;

    public static System.Reflection.Assembly Loaded { get; private set; } = null!;
}
