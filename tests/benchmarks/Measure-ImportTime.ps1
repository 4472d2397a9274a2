<#
.SYNOPSIS
    Measures how long Import-Module AwsDevCmdlets takes in a fresh runspace.

.DESCRIPTION
    Prints the median of several imports, each in a new runspace of this process, next to the cost
    of opening the runspace itself, so the figure is the module's share. The first import in a
    process also loads the module's assemblies; it is reported on its own line.
#>
param([int] $Count = 15)

$manifest = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'AwsDevCmdlets.psd1'))

function Measure-Once([string] $script) {
    $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript($script)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $null = $ps.Invoke()
    $watch.Stop()
    if ($ps.HadErrors) { throw "The import failed: $($ps.Streams.Error[0])" }
    $ps.Dispose(); $runspace.Dispose()
    $watch.Elapsed.TotalMilliseconds
}

# Only the engine's core cmdlets exist in every host, so no Sort-Object.
function Median([double[]] $values) { $sorted = $values.Clone(); [Array]::Sort($sorted); $sorted[[int][Math]::Floor($sorted.Count / 2)] }

$first = Measure-Once "Import-Module '$manifest'"
$imports = [double[]](1..$Count | ForEach-Object { Measure-Once "Import-Module '$manifest'" })
$empty = [double[]](1..$Count | ForEach-Object { Measure-Once '$null = 1' })

'Import-Module AwsDevCmdlets, first in this process: {0,8:N1} ms' -f $first
'Import-Module AwsDevCmdlets, fresh runspace, median of {0}: {1,5:N1} ms' -f $Count, (Median $imports)
'An empty script in a fresh runspace, median of {0}:      {1,5:N1} ms' -f $Count, (Median $empty)
'Import cost over an empty script: {0:N2}x' -f ((Median $imports) / [Math]::Max(0.001, (Median $empty)))
