using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AwsDevCmdlets.Host;

namespace AwsDevCmdlets.Module.Tests;

/// <summary>One runspace with the built module imported, as a user's session would have it.</summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly StringWriter _text = new();
    private readonly Runspace _runspace;

    public PowerShellSession(bool importModule = true)
    {
        _runspace = RunspaceFactory.CreateRunspace(new TextHost(_text, _text, plainText: true), InitialSessionState.CreateDefault2());
        _runspace.Open();
        if (importModule)
        {
            Invoke("Import-Module $args[0] -ErrorAction Stop", ManifestPath).ThrowIfErrors();
        }
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ManifestPath => Path.Combine(RepoRoot, "AwsDevCmdlets.psd1");

    public Runspace Runspace => _runspace;

    public ScriptResult Invoke(string script, params object[] arguments)
    {
        using var powershell = PowerShell.Create();
        powershell.Runspace = _runspace;
        powershell.AddScript(script);
        foreach (var argument in arguments)
        {
            powershell.AddArgument(argument);
        }

        Collection<PSObject> output;
        try
        {
            output = powershell.Invoke();
        }
        catch (RuntimeException e)
        {
            return new ScriptResult(new Collection<PSObject>(), powershell.Streams, e);
        }

        return new ScriptResult(output, powershell.Streams, null);
    }

    /// <summary>What a console would show for the script's output, through the module's format views.</summary>
    public string Format(string script)
    {
        _text.GetStringBuilder().Clear();
        Invoke(script + " | Out-Default").ThrowIfErrors();
        return _text.ToString();
    }

    public void Dispose()
    {
        _runspace.Dispose();
        _text.Dispose();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AwsDevCmdlets.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AwsDevCmdlets.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Reading what scripts wrote, as PowerShell would (note properties included).</summary>
public static class Ps
{
    public static object? Property(object item, string name) => PSObject.AsPSObject(item).Properties[name]?.Value;
}

public sealed class ScriptResult
{
    public ScriptResult(Collection<PSObject> output, PSDataStreams streams, RuntimeException? thrown)
    {
        Output = output;
        Errors = streams.Error.ToList();
        Verbose = streams.Verbose.Select(v => v.Message).ToList();
        Warnings = streams.Warning.Select(w => w.Message).ToList();
        Debug = streams.Debug.Select(d => d.Message).ToList();
        Thrown = thrown;
    }

    public Collection<PSObject> Output { get; }

    public List<ErrorRecord> Errors { get; }

    public List<string> Verbose { get; }

    public List<string> Warnings { get; }

    public List<string> Debug { get; }

    public RuntimeException? Thrown { get; }

    public object Single() => Assert.Single(ThrowIfErrors().Output).BaseObject;

    public ErrorRecord SingleError()
    {
        Assert.Null(Thrown);
        return Assert.Single(Errors);
    }

    public ScriptResult ThrowIfErrors()
    {
        if (Thrown != null)
        {
            throw new Xunit.Sdk.XunitException("The script threw: " + Thrown.ErrorRecord);
        }

        if (Errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The script wrote errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        }

        return this;
    }

    /// <summary>Every piece of text the script produced, on every stream.</summary>
    public string AllText() => string.Join("\n",
        Output.Select(o => o?.ToString() ?? string.Empty)
            .Concat(Output.SelectMany(o => o?.Properties.Select(p => $"{p.Name}={SafeValue(p)}") ?? Enumerable.Empty<string>()))
            .Concat(Errors.Select(e => e.ToString() + " " + e.Exception))
            .Concat(Verbose).Concat(Warnings).Concat(Debug));

    private static string SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value?.ToString() ?? string.Empty;
        }
        catch (GetValueException)
        {
            return string.Empty;
        }
    }
}
