<#
.SYNOPSIS
    A runbook pattern: back a folder up to S3, report what was copied, and fail the job only when
    something could not be copied.

.DESCRIPTION
    Suited to a scheduled task or an automation runbook: no prompt, credentials from the default chain
    (an instance or container role, a profile, or Set-DevCredential before calling), one summary
    object at the end, a non-zero exit code when any file failed. Every file that fails is reported
    and the others are still copied.

.EXAMPLE
    ./examples/Backup-FolderToS3.ps1 -Path /var/log/app -Uri s3://backups/app/ -Exclude '*.tmp'
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $Uri,
    [string[]] $Exclude = @(),
    [string] $ProfileName,
    [string] $EndpointUrl
)

$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'AwsDevCmdlets.psd1')) -Verbose:$false

$common = @{}
if ($ProfileName) { $common.ProfileName = $ProfileName }
if ($EndpointUrl) { $common.EndpointUrl = $EndpointUrl }

# Say up front which credentials the job runs with (never the secret), for the job's log.
$credential = Get-DevCredential @common
$PSCmdlet.WriteVerbose(("Credentials: {0} ({1}), region {2}" -f $credential.Source, $credential.AccessKeyId, $credential.Region))

$target = if ($Uri.EndsWith('/')) { $Uri } else { $Uri + '/' }
$results = Copy-DevS3Item $Path $target -Recurse -Exclude $Exclude -PassThru -ErrorAction Continue -ErrorVariable failures @common

$copied = @($results | Where-Object Status -eq 'Copied')
$bytes = 0L
foreach ($result in $copied) { $bytes += $result.Size }
[pscustomobject]@{
    Source      = $Path
    Destination = $target
    Copied      = $copied.Count
    Bytes       = $bytes
    Failed      = $failures.Count
    Errors      = @($failures | ForEach-Object { '{0}: {1}' -f $_.TargetObject, $_.FullyQualifiedErrorId })
}

if ($failures.Count -gt 0) { exit 1 }
