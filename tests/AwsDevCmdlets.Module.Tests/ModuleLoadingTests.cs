using System.Diagnostics;
using System.Management.Automation;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Module.Tests;

public sealed class ModuleLoadingTests : IDisposable
{
    private static readonly string[] Cmdlets =
    {
        "Clear-DevCredential", "Copy-DevS3Item", "Get-DevCallerIdentity", "Get-DevCredential", "Get-DevS3Bucket", "Get-DevS3Object", "Get-Ec2SelfMetadata", "New-DevS3Bucket", "Read-DevPolicy", "Remove-DevS3Bucket", "Set-DevCredential", "Test-DevPolicy",
    };
    private readonly IsolatedAwsEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void The_manifest_is_valid_and_exports_exactly_the_cmdlets()
    {
        using var session = new PowerShellSession(importModule: false);

        var manifest = (PSModuleInfo)session.Invoke("Test-ModuleManifest -Path $args[0]", PowerShellSession.ManifestPath).Single();

        Assert.Equal(Cmdlets, manifest.ExportedCmdlets.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Empty(manifest.ExportedFunctions);
        Assert.Empty(manifest.ExportedAliases);
        Assert.Empty(manifest.ExportedVariables);
        Assert.Contains("Core", manifest.CompatiblePSEditions);
        Assert.Contains("Desktop", manifest.CompatiblePSEditions);
    }

    [Fact]
    public void The_imported_module_offers_the_cmdlets_with_the_manifest_version()
    {
        using var session = new PowerShellSession();

        var names = session.Invoke("(Get-Command -Module AwsDevCmdlets).Name").ThrowIfErrors().Output.Select(o => o.ToString());
        var version = session.Invoke("(Get-Module AwsDevCmdlets).Version.ToString()").Single();

        Assert.Equal(Cmdlets, names.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Matches(@"^\d+\.\d+\.\d+$", (string)version);
    }

    [Fact]
    public void The_module_works_beside_an_older_AWSSDK_Core_in_the_default_context()
    {
        using var session = new PowerShellSession();
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var info = session.Invoke("Get-DevCredential").Single();

        Assert.Equal("Environment", info.GetType().GetProperty("Source")!.GetValue(info)!.ToString());
        var sdkCopies = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name == "AWSSDK.Core")
            .Select(a => (Version: a.GetName().Version!.Major, Context: System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a)))
            .ToList();
        Assert.Contains(sdkCopies, c => c.Version == 3 && c.Context == System.Runtime.Loader.AssemblyLoadContext.Default);
        Assert.Contains(sdkCopies, c => c.Version == 4 && c.Context != System.Runtime.Loader.AssemblyLoadContext.Default);
        Assert.Same(ConflictingSdkFirst.Loaded, typeof(Amazon.Runtime.AWSCredentials).Assembly);
    }

    [Fact]
    public void The_output_types_come_from_the_default_context_so_scripts_can_name_them()
    {
        using var session = new PowerShellSession();
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var isTyped = session.Invoke("(Get-DevCredential) -is [AwsDevCmdlets.DevCredentialInfo]").Single();
        var source = session.Invoke("[AwsDevCmdlets.CredentialSource]::Environment -eq (Get-DevCredential).Source").Single();

        Assert.Equal(true, isTyped);
        Assert.Equal(true, source);
    }

    [Fact]
    public void Importing_loads_neither_the_engine_nor_the_AWS_SDK_and_makes_no_network_call()
    {
        // A fresh process, so that nothing another test loaded can hide what the import itself loads.
        var script = "Import-Module '" + PowerShellSession.ManifestPath + "'; " +
            "[AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -like 'AWSSDK*' -or $_ -like 'AwsDevCmdlets*' }";
        var (exitCode, output) = RunHost(script);

        Assert.Equal(0, exitCode);
        var loaded = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("AwsDevCmdlets", loaded);
        Assert.Contains("AwsDevCmdlets.Model", loaded);
        Assert.DoesNotContain("AwsDevCmdlets.Core", loaded);
        Assert.DoesNotContain(loaded, name => name.StartsWith("AWSSDK", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_for_every_cmdlet_comes_from_the_module_help_file()
    {
        using var session = new PowerShellSession();

        foreach (var cmdlet in Cmdlets)
        {
            var synopsis = ((string)session.Invoke("(Get-Help $args[0]).Synopsis", cmdlet).Single()).Trim();
            var examples = session.Invoke("@((Get-Help $args[0]).examples.example | Where-Object { $_.code }).Count", cmdlet).Single();
            var undocumented = session.Invoke(
                "(Get-Help $args[0]).parameters.parameter | Where-Object { -not ($_.description | ForEach-Object { $_.Text }) } | ForEach-Object { $_.name }", cmdlet)
                .ThrowIfErrors().Output.Select(o => o.ToString()).ToList();

            Assert.False(synopsis.StartsWith(cmdlet, StringComparison.Ordinal), $"{cmdlet} has no synopsis in the help file: '{synopsis}'");
            Assert.True((int)examples >= 1, $"{cmdlet} has no example");
            Assert.True(undocumented.Count == 0, $"{cmdlet} has undocumented parameters: {string.Join(", ", undocumented)}");
        }
    }

    [Fact]
    public void The_published_folder_imports_by_name_from_the_module_path()
    {
        var published = Path.Combine(PowerShellSession.RepoRoot, "out");
        Assert.True(Directory.Exists(Path.Combine(published, "AwsDevCmdlets")), "Run ./build.sh publish (./build.sh test does) first.");
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var script = $"$null = $ExecutionContext.SessionState.Path.SetLocation('{Path.GetTempPath()}'); $env:PSModulePath = '{published}' + [IO.Path]::PathSeparator + $env:PSModulePath; " +
            "Import-Module AwsDevCmdlets -ErrorAction Stop; (Get-Module AwsDevCmdlets).ModuleBase; (Get-DevCredential).Source.ToString(); (Get-Help Get-DevCredential).Synopsis";
        var (exitCode, output) = RunHost(script);

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith(Path.Combine(published, "AwsDevCmdlets"), lines[0]);
        Assert.Equal("Environment", lines[1]);
        Assert.StartsWith("Shows which AWS credentials", lines[2]);
    }

    [Fact]
    public void The_about_topic_explains_the_credential_chain()
    {
        using var session = new PowerShellSession();

        var text = string.Join("\n", session.Invoke("Get-Help about_AwsDevCmdlets").ThrowIfErrors().Output.Select(o => o.ToString()));

        Assert.Contains("session defaults set with Set-DevCredential", text);
        Assert.Contains("ProfileNotFound", text);
    }

    [Fact]
    public void The_committed_help_file_matches_the_pages_and_the_cmdlets()
    {
        var generated = AwsDevCmdlets.Host.HelpWriter.Generate(
            Path.Combine(PowerShellSession.RepoRoot, "module", "help"), PowerShellSession.ManifestPath);
        var committed = File.ReadAllText(Path.Combine(PowerShellSession.RepoRoot, "module", "en-US", "AwsDevCmdlets.dll-Help.xml"));

        Assert.True(generated == committed, "module/en-US/AwsDevCmdlets.dll-Help.xml is out of date: run ./build.sh help");
    }

    internal static (int ExitCode, string Output) RunHost(string script) => RunHostWith("-Command", script);

    /// <summary>Runs the repository's host in a fresh process with these arguments (a script file and its parameters).</summary>
    internal static (int ExitCode, string Output) RunHostWith(params string[] arguments)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "AwsDevCmdlets.Host.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(host);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The host did not finish.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
