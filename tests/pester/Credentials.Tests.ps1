#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The credential resolver as a Pester user sees it. Run from the repository root after a build:
        ./build.sh build; Invoke-Pester tests/pester
    Starts the repository's local STS and instance metadata stand-ins on 127.0.0.1 and stops them after.
#>

BeforeAll {
    $root = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($root, 'AwsDevCmdlets.psd1')) -Force

    $script:saved = @{}
    foreach ($name in [Environment]::GetEnvironmentVariables().Keys | Where-Object { $_ -like 'AWS_*' -or $_ -in 'HOME', 'USERPROFILE' }) {
        $script:saved[$name] = [Environment]::GetEnvironmentVariable($name)
    }

    $servers = Get-ChildItem ([IO.Path]::Combine($root, 'tests', 'AwsDevCmdlets.TestServers', 'bin')) -Recurse -Filter AwsDevCmdlets.TestServers.dll |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    $script:endpointsFile = New-TemporaryFile
    $script:serverProcess = Start-Process dotnet -ArgumentList $servers.FullName -RedirectStandardOutput $endpointsFile -PassThru -NoNewWindow
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (Select-String -Path $endpointsFile -Pattern '^imds ' -Quiet) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    $lines = Get-Content $endpointsFile
    $script:sts = ($lines | Where-Object { $_ -like 'sts *' }).Split(' ')[1]
    $script:imds = ($lines | Where-Object { $_ -like 'imds *' }).Split(' ')[1]
}

AfterAll {
    Stop-Process -InputObject $script:serverProcess -ErrorAction SilentlyContinue
    Remove-Item $script:endpointsFile -ErrorAction SilentlyContinue
}

BeforeEach {
    Get-ChildItem env: | Where-Object Name -like 'AWS_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
    $script:sandbox = Join-Path ([IO.Path]::GetTempPath()) ("awsdev-pester-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $script:sandbox | Out-Null
    $env:HOME = $script:sandbox
    $env:USERPROFILE = $script:sandbox
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $script:sandbox credentials
    $env:AWS_CONFIG_FILE = Join-Path $script:sandbox config
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    Clear-DevCredential
}

AfterEach {
    Clear-DevCredential
    Get-ChildItem env: | Where-Object Name -like 'AWS_*' | ForEach-Object { Remove-Item "env:$($_.Name)" }
    foreach ($entry in $script:saved.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    Remove-Item $script:sandbox -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-DevCredential' {
    It 'uses session keys and masks the access key' {
        Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey 'never-shown' -Region eu-west-3
        $info = Get-DevCredential
        $info | Should -BeOfType AwsDevCmdlets.DevCredentialInfo
        $info.Source | Should -Be 'Session'
        $info.AccessKeyId | Should -Be '****************0001'
        $info.RegionSource | Should -Be 'Session'
        ($info | Out-String) | Should -Not -Match 'never-shown'
    }

    It 'prefers environment keys to the default profile' {
        Set-Content $env:AWS_SHARED_CREDENTIALS_FILE "[default]`naws_access_key_id = AKIAPROFILE000000001`naws_secret_access_key = s"
        $env:AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT00001'
        $env:AWS_SECRET_ACCESS_KEY = 's'
        (Get-DevCredential).Source | Should -Be 'Environment'
    }

    It 'reads a profile and its region from the config file' {
        Set-Content $env:AWS_CONFIG_FILE "[profile ops]`naws_access_key_id = AKIAPROFILE000000001`naws_secret_access_key = s`nregion = ap-southeast-2"
        $info = Get-DevCredential -ProfileName ops
        $info.Source | Should -Be 'Profile'
        $info.Region | Should -Be 'ap-southeast-2'
        $info.RegionSource | Should -Be 'Profile'
    }

    It 'refuses a missing profile instead of falling through' {
        $env:AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT00001'
        $env:AWS_SECRET_ACCESS_KEY = 's'
        { Get-DevCredential -ProfileName missing -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileNotFound,AwsDevCmdlets.Commands.GetDevCredentialCommand'
    }

    It 'says what was tried when nothing is found' {
        { Get-DevCredential -ErrorAction Stop } | Should -Throw -ErrorId 'NoCredentials,AwsDevCmdlets.Commands.GetDevCredentialCommand'
    }

    It 'assumes a role through STS for a role profile' {
        Set-Content $env:AWS_SHARED_CREDENTIALS_FILE "[base]`naws_access_key_id = AKIAQUICKSTARTDEMO01`naws_secret_access_key = s"
        Set-Content $env:AWS_CONFIG_FILE "[profile admin]`nrole_arn = arn:aws:iam::123456789012:role/Admin`nsource_profile = base`nrole_session_name = pester"
        $env:AWS_ENDPOINT_URL_STS = $script:sts
        $info = Get-DevCredential -ProfileName admin
        $info.Source | Should -Be 'AssumeRole'
        $info.IsTemporary | Should -BeTrue
        (Get-DevCallerIdentity -ProfileName admin).Arn | Should -Be 'arn:aws:sts::123456789012:assumed-role/Admin/pester'
    }

    It 'finds the instance role and region through the metadata service' {
        Remove-Item env:AWS_EC2_METADATA_DISABLED
        $env:AWS_EC2_METADATA_SERVICE_ENDPOINT = $script:imds
        $info = Get-DevCredential
        $info.Source | Should -Be 'InstanceProfile'
        $info.RegionSource | Should -Be 'InstanceMetadata'
    }
}

Describe 'Set-DevCredential' {
    It 'changes nothing with -WhatIf' {
        Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey s -WhatIf
        { Get-DevCredential -ErrorAction Stop } | Should -Throw -ErrorId 'NoCredentials,AwsDevCmdlets.Commands.GetDevCredentialCommand'
    }

    It 'keeps defaults per runspace' {
        Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey s
        $manifest = (Get-Module AwsDevCmdlets).Path
        $sources = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            try { (Get-DevCredential -ErrorAction Stop).Source } catch { 'none' }
        }
        $sources | Should -Be @('none', 'none')
        (Get-DevCredential).Source | Should -Be 'Session'
    }
}

Describe 'Get-DevCallerIdentity' {
    It 'returns the account and ARN of the caller' {
        Set-DevCredential -AccessKey AKIAQUICKSTARTDEMO01 -SecretKey s -EndpointUrl $script:sts
        $identity = Get-DevCallerIdentity
        $identity.Account | Should -Be '123456789012'
        $identity.Arn | Should -Be 'arn:aws:iam::123456789012:user/quickstart'
        $identity.Source | Should -Be 'Session'
    }
}
