#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Test-DevPolicy and its Should operators as a Pester user meets them. Run from the repository root
    after a build: ./build.sh build; Invoke-Pester tests/pester
#>

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'AwsDevCmdlets.psd1')) -Force
    $readOwn = @{
        Version   = '2012-10-17'
        Statement = @(
            @{ Sid = 'ReadOwn'; Effect = 'Allow'; Action = 's3:GetObject'; Resource = 'arn:aws:s3:::bucket/${aws:username}/*' }
            @{ Sid = 'TlsOnly'; Effect = 'Deny'; Action = 's3:*'; Resource = '*'; Condition = @{ Bool = @{ 'aws:SecureTransport' = 'false' } } }
        )
    }
    $alice = 'arn:aws:iam::111122223333:user/alice'
}

Describe 'Test-DevPolicy' {
    It 'allows a user their own folder' {
        Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/alice/x -IdentityPolicy $readOwn -PrincipalArn $alice | Should -BeAllowed
    }

    It 'denies another user''s folder' {
        Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/bob/x -IdentityPolicy $readOwn -PrincipalArn $alice | Should -BeDenied
    }

    It 'denies explicitly without TLS, naming the statement' {
        $decision = Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/alice/x -IdentityPolicy $readOwn -PrincipalArn $alice -Context @{ 'aws:SecureTransport' = 'false' }
        $decision.Decision | Should -Be 'ExplicitDeny'
        $decision.MatchedStatements.Statement | Should -Contain 'TlsOnly'
    }

    It 'answers -Quiet with one bool' {
        Test-DevPolicy s3:GetObject, s3:PutObject arn:aws:s3:::bucket/alice/x -IdentityPolicy $readOwn -PrincipalArn $alice -Quiet | Should -BeFalse
    }

    It 'refuses a wildcard action' {
        { Test-DevPolicy 's3:*' -IdentityPolicy $readOwn } | Should -Throw -ErrorId 'InvalidAction,AwsDevCmdlets.Commands.TestDevPolicyCommand'
    }

    It 'fails BeAllowed with the deciding statements' {
        { Test-DevPolicy s3:GetObject arn:aws:s3:::bucket/alice/x -IdentityPolicy $readOwn -PrincipalArn $alice -Context @{ 'aws:SecureTransport' = 'false' } | Should -BeAllowed } |
            Should -Throw '*TlsOnly*'
    }
}
