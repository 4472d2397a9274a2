#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The S3 cmdlets end to end against the repository's local S3 endpoint (s3rver behind the
    compatibility proxy), started here on 127.0.0.1 and stopped after. Run from the repository root
    after a build: ./build.sh build; Invoke-Pester tests/pester
#>

BeforeAll {
    $root = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($root, 'AwsDevCmdlets.psd1')) -Force
    $servers = Get-ChildItem ([IO.Path]::Combine($root, 'tests', 'AwsDevCmdlets.TestServers', 'bin')) -Recurse -Filter AwsDevCmdlets.TestServers.dll |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    $script:endpointsFile = New-TemporaryFile
    $script:serverProcess = Start-Process dotnet -ArgumentList $servers.FullName -RedirectStandardOutput $endpointsFile -PassThru -NoNewWindow
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Select-String -Path $endpointsFile -Pattern '^ready' -Quiet) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    $s3 = ((Get-Content $endpointsFile) | Where-Object { $_ -like 's3 *' }).Split(' ')[1]
    Set-DevCredential -AccessKey S3RVER -SecretKey S3RVER -EndpointUrl $s3 -Region us-east-1
    $script:bucket = 'pester-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    New-DevS3Bucket $bucket | Out-Null
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ('awsdev-pester-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $work | Out-Null
}

AfterAll {
    Remove-DevS3Bucket $bucket -Force -Confirm:$false -ErrorAction SilentlyContinue
    Clear-DevCredential
    Stop-Process -InputObject $script:serverProcess -ErrorAction SilentlyContinue
    Remove-Item $script:endpointsFile, $script:work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Copy-DevS3Item and Get-DevS3Object' {
    It 'round-trips a multipart file byte for byte' {
        $bytes = [byte[]]::new(20MB); [Random]::new(1).NextBytes($bytes)
        [IO.File]::WriteAllBytes("$work/big.bin", $bytes)
        Copy-DevS3Item "$work/big.bin" "s3://$bucket/data/" | Out-Null
        Copy-DevS3Item "s3://$bucket/data/big.bin" "$work/back.bin"
        (Get-FileHash "$work/back.bin").Hash | Should -Be (Get-FileHash "$work/big.bin").Hash
    }

    It 'lists typed objects and folders' {
        $listing = Get-DevS3Object $bucket -Delimiter /
        $listing | Where-Object { $_ -is [AwsDevCmdlets.S3PrefixInfo] } | ForEach-Object Prefix | Should -Contain 'data/'
        (Get-DevS3Object $bucket data/)[0] | Should -BeOfType AwsDevCmdlets.S3ObjectInfo
    }

    It 'pipes a listing into a download' {
        Get-DevS3Object $bucket data/ | Copy-DevS3Item -Destination "$work/piped/" -PassThru | ForEach-Object Status | Should -Be 'Copied'
        Test-Path "$work/piped/big.bin" | Should -BeTrue
    }

    It 'copies nothing with -WhatIf' {
        Copy-DevS3Item "$work/big.bin" "s3://$bucket/whatif/" -WhatIf
        Get-DevS3Object $bucket whatif/ | Should -BeNullOrEmpty
    }

    It 'reports a missing key as ObjectNotFound and goes on' {
        Copy-DevS3Item "s3://$bucket/missing.txt", "s3://$bucket/data/big.bin" "$work/mixed/" -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ObjectNotFound,*'
        Test-Path "$work/mixed/big.bin" | Should -BeTrue
    }
}
