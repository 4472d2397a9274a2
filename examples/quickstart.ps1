<#
.SYNOPSIS
    A five-minute tour of AwsDevCmdlets against local stand-ins for AWS.

.DESCRIPTION
    `./build.sh quickstart` starts an STS stub and an instance metadata emulator on 127.0.0.1 and
    runs this script with their addresses. Nothing here reaches AWS, and your own AWS settings are
    left alone: the tour points the shared credentials and config files at a temporary folder and
    restores every environment variable it touches.

    Runs in pwsh, Windows PowerShell 5.1 or the repository's small host; it uses only the core
    cmdlets that every host has.
#>
[CmdletBinding()]
param(
    # The STS endpoint to call (the local stub by default).
    [Parameter(Mandatory)] [string] $StsEndpoint,
    # The instance metadata endpoint (the local emulator by default).
    [Parameter(Mandatory)] [string] $ImdsEndpoint
)

$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'AwsDevCmdlets.psd1'))

$touched = 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EC2_METADATA_DISABLED', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_ENDPOINT_URL_STS'
$saved = @{}
foreach ($name in $touched) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $null) }
$demo = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'awsdev-quickstart-' + [guid]::NewGuid().ToString('N'))
$null = [IO.Directory]::CreateDirectory($demo)

function Step([string] $title) { ''; '== ' + $title }

try {
    # A profile of our own, in files of our own.
    [IO.File]::WriteAllText("$demo/credentials", "[quickstart]`naws_access_key_id = AKIAQUICKSTARTDEMO01`naws_secret_access_key = quickstart-secret-never-shown`n")
    [IO.File]::WriteAllText("$demo/config", "[profile quickstart]`nregion = eu-west-1`n")
    $env:AWS_SHARED_CREDENTIALS_FILE = "$demo/credentials"
    $env:AWS_CONFIG_FILE = "$demo/config"
    $env:AWS_EC2_METADATA_DISABLED = 'true'

    Step 'Which credentials would a cmdlet use, and why? (session defaults first)'
    Set-DevCredential -ProfileName quickstart -EndpointUrl $StsEndpoint
    Get-DevCredential | Out-Host
    'Source detail: ' + (Get-DevCredential).SourceDetail

    Step 'Who am I? STS GetCallerIdentity through those credentials'
    Get-DevCallerIdentity | Out-Host

    Step 'A parameter overrides the session for one call; the secret never shows'
    $credential = [pscredential]::new('AKIAPARAMETERDEMO001', [Net.NetworkCredential]::new('', 'parameter-secret').SecurePassword)
    Get-DevCredential -Credential $credential -Region ap-southeast-2 | Out-Host

    Step 'A profile that does not exist is an error, never a silent fall-through'
    try { Get-DevCredential -ProfileName does-not-exist }
    catch { 'Error id: ' + $_.FullyQualifiedErrorId; 'Message:  ' + $_.Exception.Message }

    Step 'On EC2 (here: the local metadata emulator), the instance role and region are found last'
    Clear-DevCredential
    [IO.File]::WriteAllText("$demo/credentials", '')
    $env:AWS_EC2_METADATA_DISABLED = $null
    $env:AWS_EC2_METADATA_SERVICE_ENDPOINT = $ImdsEndpoint
    Get-DevCredential | Out-Host
}
finally {
    foreach ($name in $touched) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Clear-DevCredential
    [IO.Directory]::Delete($demo, $true)
}
