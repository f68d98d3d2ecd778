# In-memory SecretManagement stand-in. Only core-engine commands are used (no Write-Verbose, Select-Object, Add-Type,
# ConvertTo-SecureString): the hosted test engine has nothing else.

enum SecretType {
    Unknown = 0
    ByteArray
    String
    SecureString
    PSCredential
    Hashtable
}

class SecretInformation {
    [string] $Name
    [SecretType] $Type
    [string] $VaultName
    [System.Collections.ObjectModel.ReadOnlyDictionary[string, object]] $Metadata

    SecretInformation([string] $name, [SecretType] $type, [string] $vaultName, [hashtable] $metadata) {
        $this.Name = $name
        $this.Type = $type
        $this.VaultName = $vaultName
        $dictionary = [System.Collections.Generic.Dictionary[string, object]]::new()
        if ($null -ne $metadata) {
            foreach ($key in $metadata.Keys) { $dictionary[[string]$key] = $metadata[$key] }
        }
        $this.Metadata = [System.Collections.ObjectModel.ReadOnlyDictionary[string, object]]::new($dictionary)
    }
}

# vault name -> @{ Secrets = Dictionary[name -> value]; Metadata = Dictionary[name -> hashtable] }
$script:Vaults = [ordered]@{}
$script:DefaultVault = $null

function Get-StandInSecretType([object] $value) {
    if ($value -is [byte[]]) { return [SecretType]::ByteArray }
    if ($value -is [string]) { return [SecretType]::String }
    if ($value -is [securestring]) { return [SecretType]::SecureString }
    if ($value -is [pscredential]) { return [SecretType]::PSCredential }
    if ($value -is [hashtable]) { return [SecretType]::Hashtable }
    return [SecretType]::Unknown
}

function Copy-StandInValue([object] $value) {
    # A real vault deserialises a fresh copy on every read, so callers may zero what they get back.
    if ($value -is [byte[]]) { return , ([byte[]]$value.Clone()) }
    if ($value -is [securestring]) { return $value.Copy() }
    if ($value -is [hashtable]) {
        $copy = @{}
        foreach ($key in $value.Keys) { $copy[$key] = Copy-StandInValue $value[$key] }
        return $copy
    }
    return , $value
}

function ConvertTo-StandInOutput([object] $value, [bool] $asPlainText) {
    if ($value -is [string] -and -not $asPlainText) {
        $secure = [securestring]::new()
        foreach ($c in $value.ToCharArray()) { $secure.AppendChar($c) }
        $secure.MakeReadOnly()
        return $secure
    }
    if ($value -is [securestring] -and $asPlainText) {
        return [System.Net.NetworkCredential]::new('', $value).Password
    }
    if ($value -is [hashtable]) {
        $converted = @{}
        foreach ($key in $value.Keys) { $converted[$key] = ConvertTo-StandInOutput $value[$key] $asPlainText }
        return $converted
    }
    return , $value
}

function Register-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $ModuleName,
        [Parameter(Position = 1)] [string] $Name,
        [hashtable] $VaultParameters,
        [switch] $DefaultVault,
        [switch] $AllowClobber,
        [switch] $PassThru,
        [string] $Description
    )
    if (-not $Name) { $Name = $ModuleName }
    if ($script:Vaults.Contains($Name) -and -not $AllowClobber) {
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new("Vault $Name is already registered."), 'RegisterSecretVaultInvalidVaultName',
            [System.Management.Automation.ErrorCategory]::InvalidOperation, $Name)
        $PSCmdlet.ThrowTerminatingError($record)
    }
    if ($PSCmdlet.ShouldProcess($Name, 'Register module as a SecretManagement extension vault')) {
        $script:Vaults[$Name] = @{
            Secrets  = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
            Metadata = [System.Collections.Generic.Dictionary[string, hashtable]]::new([System.StringComparer]::OrdinalIgnoreCase)
        }
        if ($DefaultVault -or $null -eq $script:DefaultVault) { $script:DefaultVault = $Name }
        if ($PassThru) { [pscustomobject]@{ Name = $Name; ModuleName = $ModuleName; IsDefault = ($script:DefaultVault -eq $Name) } }
    }
}

function Unregister-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory, Position = 0)] [string] $Name)
    if ($PSCmdlet.ShouldProcess($Name, 'Unregister vault')) {
        $script:Vaults.Remove($Name)
        if ($script:DefaultVault -eq $Name) { $script:DefaultVault = $null }
    }
}

function Get-SecretVault {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Name = '*')
    foreach ($vault in $script:Vaults.Keys) {
        if ($vault -like $Name) { [pscustomobject]@{ Name = $vault; ModuleName = 'StandIn'; IsDefault = ($script:DefaultVault -eq $vault) } }
    }
}

function Get-StandInVaultOrder([string] $vault) {
    if ($vault) { return , @($vault) }
    $order = [System.Collections.Generic.List[string]]::new()
    if ($script:DefaultVault) { $order.Add($script:DefaultVault) }
    foreach ($name in $script:Vaults.Keys) { if ($name -ne $script:DefaultVault) { $order.Add($name) } }
    return , $order.ToArray()
}

function Set-Secret {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'SecureStringParameterSet')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'SecureStringParameterSet')]
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ObjectParameterSet')]
        [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(Mandatory, Position = 1, ValueFromPipeline, ParameterSetName = 'SecureStringParameterSet')] [securestring] $SecureStringSecret,
        [Parameter(Mandatory, Position = 1, ValueFromPipeline, ParameterSetName = 'ObjectParameterSet')] [object] $Secret,
        [Parameter(Position = 2)] [string] $Vault,
        [Parameter(Position = 3)] [hashtable] $Metadata,
        [switch] $NoClobber
    )
    process {
        if (-not $Vault) { $Vault = $script:DefaultVault }
        if (-not $Vault) {
            $record = [System.Management.Automation.ErrorRecord]::new(
                [System.InvalidOperationException]::new('No vault was specified and no default vault is registered.'), 'SetSecretCommandFailNoVault',
                [System.Management.Automation.ErrorCategory]::InvalidOperation, $null)
            $PSCmdlet.ThrowTerminatingError($record)
        }
        if (-not $script:Vaults.Contains($Vault)) {
            $record = [System.Management.Automation.ErrorRecord]::new(
                [System.Management.Automation.ItemNotFoundException]::new("Vault $Vault was not found."), 'SetSecretCommandVaultNotFound',
                [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Vault)
            $PSCmdlet.ThrowTerminatingError($record)
        }
        $store = $script:Vaults[$Vault]
        if ($NoClobber -and $store.Secrets.ContainsKey($Name)) {
            $record = [System.Management.Automation.ErrorRecord]::new(
                [System.InvalidOperationException]::new("A secret with name $Name already exists in vault $Vault."), 'SetSecretCommandAlreadyExistsWithNoClobber',
                [System.Management.Automation.ErrorCategory]::ResourceExists, $Name)
            $PSCmdlet.WriteError($record)
            return
        }
        # Plain assignments: an if-expression would unroll a byte[] into object[].
        $value = $Secret
        if ($PSCmdlet.ParameterSetName -eq 'SecureStringParameterSet') { $value = $SecureStringSecret }
        if ($value -is [psobject]) { $value = $value.psobject.BaseObject }
        if ((Get-StandInSecretType $value) -eq [SecretType]::Unknown) {
            $record = [System.Management.Automation.ErrorRecord]::new(
                [System.ArgumentException]::new("The secret $Name is of invalid type."), 'SetSecretInvalidType',
                [System.Management.Automation.ErrorCategory]::InvalidArgument, $Name)
            $PSCmdlet.WriteError($record)
            return
        }
        if ($PSCmdlet.ShouldProcess($Vault, 'Write secret to vault and override any existing secret of the same name')) {
            $store.Secrets[$Name] = Copy-StandInValue $value
            $store.Metadata[$Name] = $Metadata
        }
    }
}

function Get-Secret {
    [CmdletBinding(DefaultParameterSetName = 'NameParameterSet')]
    [OutputType([object])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ParameterSetName = 'NameParameterSet')] [string] $Name,
        [Parameter(Position = 1, ParameterSetName = 'NameParameterSet')] [string] $Vault,
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')] [SecretInformation] $InputObject,
        [switch] $AsPlainText
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') {
            $Name = $InputObject.Name
            $Vault = $InputObject.VaultName
        }
        foreach ($vaultName in (Get-StandInVaultOrder $Vault)) {
            if (-not $script:Vaults.Contains($vaultName)) { continue }
            $store = $script:Vaults[$vaultName]
            if ($store.Secrets.ContainsKey($Name)) {
                $value = ConvertTo-StandInOutput (Copy-StandInValue $store.Secrets[$Name]) ([bool]$AsPlainText)
                # The comma keeps a byte[] as one object instead of unrolling it into bytes.
                return , $value
            }
        }
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found."), 'GetSecretNotFound',
            [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Name)
        $PSCmdlet.WriteError($record)
    }
}

function Get-SecretInfo {
    [CmdletBinding()]
    [OutputType([SecretInformation])]
    param(
        [Parameter(Position = 0)] [SupportsWildcards()] [string] $Name = '*',
        [Parameter(Position = 1)] [string] $Vault
    )
    foreach ($vaultName in (Get-StandInVaultOrder $Vault)) {
        if (-not $script:Vaults.Contains($vaultName)) { continue }
        $store = $script:Vaults[$vaultName]
        $names = [System.Collections.Generic.List[string]]::new()
        foreach ($key in $store.Secrets.Keys) { if ($key -like $Name) { $names.Add($key) } }
        $names.Sort([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($secretName in $names) {
            [SecretInformation]::new($secretName, (Get-StandInSecretType $store.Secrets[$secretName]), $vaultName, $store.Metadata[$secretName])
        }
    }
}

function Remove-Secret {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [string] $Vault
    )
    if ($script:Vaults.Contains($Vault) -and $PSCmdlet.ShouldProcess($Name, 'Remove secret')) {
        [void]$script:Vaults[$Vault].Secrets.Remove($Name)
    }
}
