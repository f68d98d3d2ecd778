@{
    RootModule           = 'IExecSecrets.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f3c2e-7a41-4b8e-9f0a-3c6e2b1d9a47'
    Author               = 'IExecSecrets contributors'
    CompanyName          = 'IExecSecrets'
    Copyright            = '(c) IExecSecrets contributors. MIT License.'
    Description          = 'Keep iExec TEE secrets in a SecretManagement vault, push them to the iExec Secret Management Service, deploy and run confidential apps that consume them.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @(
        'Connect-IExecWallet',
        'Disconnect-IExecWallet',
        'Get-IExecWallet',
        'New-IExecWallet',
        'Push-IExecRequesterSecret',
        'Test-IExecRequesterSecret',
        'Push-IExecAppSecret',
        'Test-IExecAppSecret',
        'Push-IExecWeb2Secret',
        'Test-IExecWeb2Secret',
        'Push-IExecDatasetSecret',
        'Test-IExecDatasetSecret',
        'New-IExecResultEncryptionKey',
        'Protect-IExecDataset',
        'Deploy-IExecDataset',
        'Get-IExecDataset',
        'Publish-IExecDatasetOrder',
        'Get-IExecDatasetOrder',
        'Initialize-IExecProject',
        'Get-IExecChain',
        'Deploy-IExecApp',
        'Get-IExecApp',
        'Build-IExecTeeImage',
        'Invoke-IExecEnclaveApp',
        'Invoke-IExecApp',
        'Get-IExecAppOrder',
        'Get-IExecWorkerpoolOrder',
        'Publish-IExecAppOrder',
        'Revoke-IExecOrder',
        'Unpublish-IExecAppOrder',
        'Unpublish-IExecDatasetOrder',
        'Unpublish-IExecWorkerpoolOrder',
        'Get-IExecDeal',
        'Get-IExecTask',
        'Wait-IExecTask',
        'Save-IExecTaskResult',
        'Get-IExecTaskLog',
        'Invoke-IExecClaim',
        'Get-IExecAccount',
        'Add-IExecStake',
        'Remove-IExecStake',
        'Set-IExecConfiguration',
        'Get-IExecConfiguration',
        'Clear-IExecConfiguration'
    )
    # Table and list views of every output type (tests/Pester/Format.Tests.ps1 checks each [OutputType] has one).
    FormatsToProcess     = @('IExecSecrets.Format.ps1xml')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('iExec', 'TEE', 'SGX', 'SCONE', 'Gramine', 'TDX', 'Secrets', 'SecretManagement', 'Ethereum', 'ConfidentialComputing', 'Linux', 'PSEdition_Core')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/IExecSecrets/IExecSecrets'
            ReleaseNotes = @'
0.1.0
- Requester, app, web2 and dataset secrets pushed from a SecretManagement vault to the iExec SMS, byte for byte as
  the iexec CLI 8.24 does, with -WhatIf/-Confirm, idempotent batches and specific error ids.
- Wallets from vaults, iexec-compatible keystores or a SecureString key; New-IExecWallet.
- Initialize-IExecProject, Deploy-IExecApp, app/workerpool orders, Invoke-IExecApp with -Watch, deals, tasks and
  results; Build-IExecTeeImage and Invoke-IExecEnclaveApp for the enclave app; TDX runs on SDK 9 chains.
- Get-IExecTaskLog; saved defaults with Set-/Get-/Clear-IExecConfiguration.
'@
        }
    }
}
