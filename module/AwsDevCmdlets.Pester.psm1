# Should -BeAllowed and Should -BeDenied for the results of Test-DevPolicy, registered when Pester 5
# is loaded (import AwsDevCmdlets after Pester, as Invoke-Pester does for test files). Exports nothing.

function Test-DevPolicyExpectation {
    param(
        $ActualValue,
        [switch] $Negate,
        [string] $Because,
        [bool] $ExpectAllowed,
        [Parameter(ValueFromRemainingArguments = $true)] $Rest
    )

    $decisions = @($ActualValue)
    if ($decisions.Count -eq 0 -or @($decisions | Where-Object { $_ -isnot [AwsDevCmdlets.PolicyDecision] }).Count -gt 0) {
        return [pscustomobject]@{
            Succeeded      = $false
            FailureMessage = 'Expected the output of Test-DevPolicy (AwsDevCmdlets.PolicyDecision), but got ' +
                $(if ($decisions.Count -eq 0) { 'nothing' } else { ($decisions | ForEach-Object { if ($null -eq $_) { '$null' } else { $_.GetType().FullName } }) -join ', ' }) + '.'
        }
    }

    $want = $ExpectAllowed -xor $Negate.IsPresent
    $wrong = @($decisions | Where-Object { $_.IsAllowed -ne $want })
    if ($wrong.Count -eq 0) {
        return [pscustomobject]@{ Succeeded = $true; FailureMessage = $null }
    }

    $because = if ($Because) { " because $($Because.TrimEnd('.'))," } else { '' }
    $lines = foreach ($decision in $wrong) {
        $statements = if ($decision.MatchedStatements.Count) { ($decision.MatchedStatements | ForEach-Object { $_.ToString() }) -join '; ' } else { 'none' }
        $missing = if ($decision.MissingContextKeys.Count) { " Missing context keys: $($decision.MissingContextKeys -join ', ')." } else { '' }
        "Expected $($decision.Action) on $($decision.Resource) to be $(if ($want) { 'allowed' } else { 'denied' }),$because but it was $($decision.Decision). $($decision.Reason) Deciding statements: $statements.$missing"
    }

    [pscustomobject]@{ Succeeded = $false; FailureMessage = $lines -join [Environment]::NewLine }
}

if (Get-Command Add-ShouldOperator -ErrorAction SilentlyContinue) {
    $existing = @(Get-ShouldOperator -ErrorAction SilentlyContinue | ForEach-Object { $_.Name })
    if ($existing -notcontains 'BeAllowed') {
        Add-ShouldOperator -Name BeAllowed -SupportsArrayInput -Test {
            param($ActualValue, [switch] $Negate, [string] $Because)
            Test-DevPolicyExpectation -ActualValue $ActualValue -Negate:$Negate -Because $Because -ExpectAllowed $true
        }
    }

    if ($existing -notcontains 'BeDenied') {
        Add-ShouldOperator -Name BeDenied -SupportsArrayInput -Test {
            param($ActualValue, [switch] $Negate, [string] $Because)
            Test-DevPolicyExpectation -ActualValue $ActualValue -Negate:$Negate -Because $Because -ExpectAllowed $false
        }
    }
}

Export-ModuleMember
