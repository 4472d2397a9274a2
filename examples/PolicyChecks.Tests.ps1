#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    An ops check in Pester: what the deployer role may and may not do, decided offline by Test-DevPolicy.
    Run with: Invoke-Pester ./examples/PolicyChecks.Tests.ps1 (after ./build.sh build).
#>

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'AwsDevCmdlets.psd1'))
    $deployer = Read-DevPolicy ([IO.Path]::Combine($PSScriptRoot, 'policies', 'deployer.json'))
    $context = @{ 'aws:PrincipalTag/team' = 'platform'; 'aws:SecureTransport' = 'true' }
}

Describe 'The deployer role' {
    It 'reads and writes its team''s artifacts' {
        Import-Csv ([IO.Path]::Combine($PSScriptRoot, 'policies', 'expectations.csv')) |
            Test-DevPolicy -IdentityPolicy $deployer -Context $context | Should -BeAllowed
    }

    It 'cannot touch another team''s artifacts' {
        Test-DevPolicy s3:PutObject arn:aws:s3:::artifacts/payments/app.zip -IdentityPolicy $deployer -Context $context | Should -BeDenied
    }

    It 'is refused over plain HTTP, explicitly' {
        $decision = Test-DevPolicy s3:GetObject arn:aws:s3:::artifacts/platform/app.zip -IdentityPolicy $deployer `
            -Context @{ 'aws:PrincipalTag/team' = 'platform'; 'aws:SecureTransport' = 'false' }
        $decision | Should -BeDenied
        $decision.Decision | Should -Be 'ExplicitDeny'
    }

    It 'cannot delete anything' {
        Test-DevPolicy s3:DeleteObject arn:aws:s3:::artifacts/platform/app.zip -IdentityPolicy $deployer -Context $context -Quiet | Should -BeFalse
    }
}
