# Test stand-in for Microsoft.PowerShell.SecretManagement (not obtainable from any registry here). It behaves like
# SecretManagement 1.1.2 with SecretStore 1.0.6 as observed in real pwsh (values, SecretInfo order and metadata, error
# ids and terminating-ness, vault order, locked stores), with in-memory vaults and only the hosted engine's core cmdlets.
@{
    RootModule        = 'Microsoft.PowerShell.SecretManagement.psm1'
    ModuleVersion     = '1.1.2'
    GUID              = '8a1f0c1e-5b8a-4c1f-9f5e-1d2c3b4a5f60'
    Author            = 'IExecSecrets contributors (test stand-in)'
    Description       = 'In-memory stand-in of Microsoft.PowerShell.SecretManagement for IExecSecrets tests.'
    PowerShellVersion = '7.4'
    FunctionsToExport = @('Register-SecretVault', 'Unregister-SecretVault', 'Get-SecretVault', 'Set-SecretVaultDefault', 'Test-SecretVault', 'Unlock-SecretVault', 'Set-Secret', 'Set-SecretInfo', 'Get-Secret', 'Get-SecretInfo', 'Remove-Secret')
    CmdletsToExport   = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
