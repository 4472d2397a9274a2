@{
    RootModule           = 'bin/AwsDevCmdlets.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '6f5b8a52-3c1e-4f0e-9a77-2d9c1b6e4a10'
    Author               = 'AwsDevCmdlets contributors'
    CompanyName          = 'AwsDevCmdlets'
    Copyright            = '(c) AwsDevCmdlets contributors. Apache-2.0.'
    Description          = 'Everyday development against AWS from PowerShell: S3 as typed pipeline objects, EC2 instance metadata, an offline IAM policy simulator, and one diagnosable credential resolver.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    # Loaded before the root module so that the types crossing into PowerShell come from the default
    # load context on every edition.
    RequiredAssemblies   = @('bin/AwsDevCmdlets.Model.dll')
    FormatsToProcess     = @('module/AwsDevCmdlets.Format.ps1xml')
    # Registers Should -BeAllowed / -BeDenied when Pester is loaded; exports nothing.
    NestedModules        = @('module/AwsDevCmdlets.Pester.psm1')
    TypesToProcess       = @()
    CmdletsToExport      = @(
        'Set-DevCredential'
        'Get-DevCredential'
        'Clear-DevCredential'
        'Get-DevCallerIdentity'
        'Get-DevS3Bucket'
        'New-DevS3Bucket'
        'Remove-DevS3Bucket'
        'Get-DevS3Object'
        'Copy-DevS3Item'
        'Get-Ec2SelfMetadata'
        'Test-DevPolicy'
        'Read-DevPolicy'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'S3', 'EC2', 'IMDS', 'IAM', 'Credentials', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'See README.md.'
        }
    }
}
