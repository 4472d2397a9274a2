<#
.SYNOPSIS
    A five-minute tour of AwsDevCmdlets against local stand-ins for AWS.

.DESCRIPTION
    `./build.sh quickstart` starts an STS stub, an instance metadata emulator and a local S3 endpoint
    (s3rver) on 127.0.0.1 and runs this script with their addresses. Nothing here reaches AWS, and your own AWS settings are
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
    [Parameter(Mandatory)] [string] $ImdsEndpoint,
    # The S3 endpoint (s3rver behind the repository's compatibility proxy by default).
    [Parameter(Mandatory)] [string] $S3Endpoint
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

    Step 'S3 as typed objects: a bucket, a folder uploaded in parallel, a listing with folders'
    Set-DevCredential -AccessKey S3RVER -SecretKey S3RVER -EndpointUrl $S3Endpoint -Region us-east-1
    $null = [IO.Directory]::CreateDirectory("$demo/site/css")
    $null = [IO.Directory]::CreateDirectory("$demo/site/img")
    [IO.File]::WriteAllText("$demo/site/index.html", '<h1>Hello from AwsDevCmdlets</h1>')
    [IO.File]::WriteAllText("$demo/site/css/site.css", 'h1 { color: teal; }')
    $large = [byte[]]::new(12MB); [Random]::new(1).NextBytes($large)
    [IO.File]::WriteAllBytes("$demo/site/img/hero.bin", $large)
    New-DevS3Bucket quickstart-demo | Out-Host
    Copy-DevS3Item "$demo/site" s3://quickstart-demo/site/ -Recurse -PassThru | Out-Host
    Get-DevS3Object quickstart-demo site/ -Delimiter / | Out-Host

    Step 'Objects from a listing pipe straight into a download (12 MiB goes in parts, then is checked against its ETag)'
    Get-DevS3Object quickstart-demo | Where-Object Size -gt 1MB | Copy-DevS3Item -Destination "$demo/back/" -PassThru | Out-Host
    'Downloaded bytes equal the original: ' + ([Convert]::ToBase64String([IO.File]::ReadAllBytes("$demo/back/hero.bin")) -eq [Convert]::ToBase64String($large))

    Step 'A missing key is a clear, non-terminating error; -WhatIf copies nothing'
    Copy-DevS3Item s3://quickstart-demo/no/such/key.txt "$demo/x.txt" -ErrorAction SilentlyContinue -ErrorVariable failed
    'Error id: ' + $failed[0].FullyQualifiedErrorId
    Copy-DevS3Item "$demo/site/index.html" s3://quickstart-demo/elsewhere/ -WhatIf
    Remove-DevS3Bucket quickstart-demo -Force -Confirm:$false

    Step 'On EC2 (here: the local metadata emulator), the instance role and region are found last'
    Clear-DevCredential
    [IO.File]::WriteAllText("$demo/credentials", '')
    $env:AWS_EC2_METADATA_DISABLED = $null
    $env:AWS_EC2_METADATA_SERVICE_ENDPOINT = $ImdsEndpoint
    Get-DevCredential | Out-Host

    Step 'The instance metadata service as one object (IMDSv2), and the role credentials with secrets masked'
    Get-Ec2SelfMetadata | Out-Host
    Get-Ec2SelfMetadata -IamCredential | Out-Host
    'Region by category: ' + (Get-Ec2SelfMetadata -Category Region)

    Step 'Off EC2 it fails fast with a clear error (here: a closed port)'
    $watch = [Diagnostics.Stopwatch]::StartNew()
    try { Get-Ec2SelfMetadata -Endpoint http://127.0.0.1:9 }
    catch { 'Error id: ' + $_.FullyQualifiedErrorId + ' after ' + $watch.ElapsedMilliseconds + ' ms' }
}
finally {
    foreach ($name in $touched) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Clear-DevCredential
    [IO.Directory]::Delete($demo, $true)
}
