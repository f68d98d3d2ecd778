# Test stand-in for Microsoft.PowerShell.SecretManagement (not obtainable from any registry here). It honours the
# documented contract of Get-Secret, Get-SecretInfo, Set-Secret and Register-SecretVault (see
# docs: powershell-hosting.md section 5) with in-memory vaults, and uses only the core cmdlets of the hosted engine.
@{
    RootModule        = 'Microsoft.PowerShell.SecretManagement.psm1'
    ModuleVersion     = '1.1.2'
    GUID              = '8a1f0c1e-5b8a-4c1f-9f5e-1d2c3b4a5f60'
    Author            = 'IExecSecrets contributors (test stand-in)'
    Description       = 'In-memory stand-in of Microsoft.PowerShell.SecretManagement for IExecSecrets tests.'
    PowerShellVersion = '7.4'
    FunctionsToExport = @('Register-SecretVault', 'Unregister-SecretVault', 'Get-SecretVault', 'Set-Secret', 'Get-Secret', 'Get-SecretInfo', 'Remove-Secret')
    CmdletsToExport   = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
