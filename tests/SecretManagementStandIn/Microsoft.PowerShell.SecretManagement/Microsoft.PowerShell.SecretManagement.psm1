# In-memory SecretManagement stand-in that behaves like Microsoft.PowerShell.SecretManagement 1.1.2 with the
# Microsoft.PowerShell.SecretStore 1.0.6 extension, as observed in real pwsh (value conversions, Get-SecretInfo order
# and metadata, error ids, categories and terminating-ness, vault search order, locked stores). Only core-engine
# commands are used (no Write-Warning, Select-Object, Add-Type, ConvertTo-SecureString): the hosted test engine has
# nothing else. Error ids carry the real ids; PowerShell appends this function's name instead of the C# class name.
#
# Stand-in switches, given as -VaultParameters to Register-SecretVault:
#   Password = <SecureString>      the store needs this password and starts locked (SecretStore password mode);
#                                  Unlock-SecretVault -Name <vault> -Password <it> unlocks it
#   LockedBehaviour = 'Terminating' a locked store searched without -Vault throws PasswordRequiredException
#                                  instead of writing GetSecretException (both happen with the real module)
# Vaults registered with -ModuleName Microsoft.PowerShell.SecretStore share one store, like the real extension.
# Stores live in memory: once no registered vault names a store, it is dropped (the real ones persist on disk).

enum SecretType {
    Unknown = 0
    ByteArray
    String
    SecureString
    PSCredential
    Hashtable
}

class PasswordRequiredException : System.InvalidOperationException {
    PasswordRequiredException([string] $message) : base($message) {}
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
        $dictionary = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
        if ($null -ne $metadata) {
            foreach ($key in $metadata.Keys) { $dictionary[[string]$key] = $metadata[$key] }
        }
        $this.Metadata = [System.Collections.ObjectModel.ReadOnlyDictionary[string, object]]::new($dictionary)
    }
}

# vault name -> @{ Name; ModuleName; ModulePath; Description; VaultParameters; Store }
$script:Vaults = [System.Collections.Generic.Dictionary[string, hashtable]]::new([System.StringComparer]::OrdinalIgnoreCase)
# store key -> @{ Secrets = Dictionary[name -> value]; Metadata = Dictionary[name -> hashtable]; Password; Locked; LockedBehaviour }
$script:Stores = [System.Collections.Generic.Dictionary[string, hashtable]]::new([System.StringComparer]::OrdinalIgnoreCase)
$script:DefaultVault = $null
$script:SecretStoreModule = 'Microsoft.PowerShell.SecretStore'

function New-StandInError([System.Exception] $exception, [string] $id, [System.Management.Automation.ErrorCategory] $category, [object] $target) {
    [System.Management.Automation.ErrorRecord]::new($exception, $id, $category, $target)
}

function New-VaultNotFoundError([string] $vault) {
    New-StandInError ([System.Management.Automation.PSInvalidOperationException]::new("Vault not found in registry: $vault")) 'GetSecretVaultNotFound' ObjectNotFound $vault
}

function New-LockedError([string] $id, [string] $message, [object] $target) {
    $inner = [PasswordRequiredException]::new('A valid password is required to access the Microsoft.PowerShell.SecretStore vault. Use the Unlock-SecretStore cmdlet to provide the required password to access the store.')
    New-StandInError ([System.Management.Automation.PSInvalidOperationException]::new($message, $inner)) $id InvalidOperation $target
}

function Get-StandInSecretType([object] $value) {
    if ($value -is [byte[]]) { return [SecretType]::ByteArray }
    if ($value -is [string]) { return [SecretType]::String }
    if ($value -is [securestring]) { return [SecretType]::SecureString }
    if ($value -is [pscredential]) { return [SecretType]::PSCredential }
    if ($value -is [hashtable]) { return [SecretType]::Hashtable }
    return [SecretType]::Unknown
}

function ConvertTo-StandInSecureString([string] $text) {
    $secure = [securestring]::new()
    foreach ($c in $text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    return $secure
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

# Get-Secret's conversions: string -> SecureString (string with -AsPlainText); SecureString -> string only with
# -AsPlainText; byte[] and PSCredential as they are; Hashtable -> a new Hashtable whose string entries are converted
# like strings and whose other entries are left untouched.
function ConvertTo-StandInOutput([object] $value, [bool] $asPlainText) {
    if ($value -is [string]) {
        if ($asPlainText) { return $value }
        return ConvertTo-StandInSecureString $value
    }
    if ($value -is [securestring] -and $asPlainText) {
        return [System.Net.NetworkCredential]::new('', $value).Password
    }
    if ($value -is [hashtable]) {
        $converted = @{}
        foreach ($key in $value.Keys) {
            $entry = $value[$key]
            if ($entry -is [string] -and -not $asPlainText) { $entry = ConvertTo-StandInSecureString $entry }
            $converted[$key] = $entry
        }
        return $converted
    }
    return , $value
}

# Default vault first, then the others alphabetically, case-insensitive.
function Get-StandInVaultOrder {
    $order = [System.Collections.Generic.List[string]]::new()
    $others = [System.Collections.Generic.List[string]]::new()
    foreach ($name in $script:Vaults.Keys) {
        if ($name -eq $script:DefaultVault) { $order.Add($name) } else { $others.Add($name) }
    }
    $others.Sort([System.StringComparer]::OrdinalIgnoreCase)
    $order.AddRange($others)
    return , $order.ToArray()
}

function Get-StandInStore([string] $vault) { $script:Stores[$script:Vaults[$vault].Store] }

function New-StandInVaultInfo([hashtable] $vault) {
    $info = [pscustomobject]@{
        Name            = $vault.Name
        ModuleName      = $vault.ModuleName
        ModulePath      = $vault.ModulePath
        Description     = $vault.Description
        VaultParameters = $vault.VaultParameters
        IsDefault       = ($script:DefaultVault -eq $vault.Name)
    }
    $info.PSObject.TypeNames.Insert(0, 'Microsoft.PowerShell.SecretManagement.SecretVaultInfo')
    $info
}

function New-StandInSecretInfo([string] $name, [object] $value, [string] $vault, [hashtable] $metadata) {
    $info = [SecretInformation]::new($name, (Get-StandInSecretType $value), $vault, $metadata)
    $wrapped = [psobject]::new($info)
    $wrapped.PSObject.TypeNames.Insert(0, 'Microsoft.PowerShell.SecretManagement.SecretInformation')
    $wrapped
}

# SecretStore keeps byte[], string, SecureString, PSCredential and Hashtables of those; metadata values must be
# string, int or DateTime. Returns an ErrorRecord for a refused value, else $null.
function Test-StandInStorable([string] $name, [object] $value, [hashtable] $metadata) {
    if ($value -is [hashtable]) {
        foreach ($key in $value.Keys) {
            $entry = $value[$key]
            if ($entry -is [psobject]) { $entry = $entry.psobject.BaseObject }
            $kind = Get-StandInSecretType $entry
            if ($kind -eq [SecretType]::Unknown -or $kind -eq [SecretType]::Hashtable) {
                return New-StandInError ([System.ArgumentException]::new("The secret $name Hashtable entry $key is of an unsupported type. Only byte[], string, SecureString and PSCredential entries are supported.")) 'ArgumentException' InvalidArgument $name
            }
        }
    }
    elseif ((Get-StandInSecretType $value) -eq [SecretType]::Unknown) {
        return New-StandInError ([System.InvalidOperationException]::new("Invalid type for secret $name. Supported types are byte[], string, SecureString, PSCredential and Hashtable.")) 'InvalidOperationException' InvalidOperation $name
    }
    if ($null -ne $metadata) {
        foreach ($key in $metadata.Keys) {
            $entry = $metadata[$key]
            if ($entry -is [psobject]) { $entry = $entry.psobject.BaseObject }
            if (-not ($entry -is [string] -or $entry -is [int] -or $entry -is [datetime])) {
                return New-StandInError ([System.InvalidOperationException]::new("Unable to set secret $name metadata: the value of $key is not a string, int or DateTime.")) 'SecretStoreSetSecretFailed' InvalidOperation $name
            }
        }
    }
    return $null
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
    if ($script:Vaults.ContainsKey($Name) -and -not $AllowClobber) {
        $PSCmdlet.ThrowTerminatingError((New-StandInError ([System.InvalidOperationException]::new("Provided Name $Name is already used for a registered vault.")) 'RegisterSecretVaultInvalidVaultName' InvalidArgument $Name))
    }
    if ($PSCmdlet.ShouldProcess($Name, 'Register module as a SecretManagement extension vault')) {
        # Every SecretStore vault name is a view of the same store.
        $storeKey = if ($ModuleName -eq $script:SecretStoreModule) { $script:SecretStoreModule } else { $Name }
        if (-not $script:Stores.ContainsKey($storeKey)) {
            $password = $null
            $behaviour = 'Error'
            if ($null -ne $VaultParameters) {
                $password = $VaultParameters['Password']
                if ($VaultParameters['LockedBehaviour']) { $behaviour = [string]$VaultParameters['LockedBehaviour'] }
            }
            $script:Stores[$storeKey] = @{
                Secrets         = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
                Metadata        = [System.Collections.Generic.Dictionary[string, hashtable]]::new([System.StringComparer]::OrdinalIgnoreCase)
                Password        = $password
                Locked          = ($null -ne $password)
                LockedBehaviour = $behaviour
            }
        }
        $parameters = @{}
        if ($null -ne $VaultParameters) { foreach ($key in $VaultParameters.Keys) { if ($key -ne 'Password') { $parameters[$key] = $VaultParameters[$key] } } }
        $script:Vaults[$Name] = @{
            Name            = $Name
            ModuleName      = $ModuleName
            ModulePath      = $ModuleName
            Description     = $Description
            VaultParameters = $parameters
            Store           = $storeKey
        }
        # The first vault registered becomes the default.
        if ($DefaultVault -or $null -eq $script:DefaultVault) { $script:DefaultVault = $Name }
        if ($PassThru) { New-StandInVaultInfo $script:Vaults[$Name] }
    }
}

function Unregister-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)] [string[]] $Name)
    process {
        foreach ($vault in $Name) {
            if (-not $script:Vaults.ContainsKey($vault)) {
                $PSCmdlet.WriteError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("Unable to find secret vault $vault to unregister it.")) 'UnregisterSecretVaultObjectNotFound' ObjectNotFound $vault))
                continue
            }
            if ($PSCmdlet.ShouldProcess($vault, 'Unregister vault')) {
                $storeKey = $script:Vaults[$vault].Store
                [void]$script:Vaults.Remove($vault)
                if ($script:DefaultVault -eq $vault) { $script:DefaultVault = $null }
                # In memory only: a store no vault names any more is gone, so a vault registered again starts empty.
                $used = $false
                foreach ($other in $script:Vaults.Values) { if ($other.Store -eq $storeKey) { $used = $true } }
                if (-not $used) { [void]$script:Stores.Remove($storeKey) }
            }
        }
    }
}

function Get-SecretVault {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [SupportsWildcards()] [string[]] $Name = @('*'))
    foreach ($pattern in $Name) {
        $found = $false
        foreach ($vault in (Get-StandInVaultOrder)) {
            if ($vault -like $pattern) { $found = $true; New-StandInVaultInfo $script:Vaults[$vault] }
        }
        if (-not $found -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern)) {
            $PSCmdlet.WriteError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("Vault $pattern does not exist in registry.")) 'GetSecretVaultNotFound' ObjectNotFound $pattern))
        }
    }
}

function Set-SecretVaultDefault {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName, ParameterSetName = 'NameParameterSet')] [string] $Name,
        [Parameter(Mandatory, ParameterSetName = 'ClearParameterSet')] [switch] $ClearDefault
    )
    process {
        if ($ClearDefault) {
            if ($PSCmdlet.ShouldProcess('SecretManagement', 'Clear the default vault')) { $script:DefaultVault = $null }
            return
        }
        if (-not $script:Vaults.ContainsKey($Name)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $Name)) }
        if ($PSCmdlet.ShouldProcess($Name, 'Set vault as default')) { $script:DefaultVault = $script:Vaults[$Name].Name }
    }
}

function Test-SecretVault {
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Position = 0, ValueFromPipelineByPropertyName)] [SupportsWildcards()] [string[]] $Name = @('*'))
    process {
        foreach ($pattern in $Name) {
            $found = $false
            foreach ($vault in (Get-StandInVaultOrder)) {
                if ($vault -notlike $pattern) { continue }
                $found = $true
                $store = Get-StandInStore $vault
                if ($store.Locked) {
                    $PSCmdlet.WriteError((New-LockedError 'TestSecretVaultException' "Unable to test vault $vault." $vault))
                    $false
                }
                else { $true }
            }
            if (-not $found) { $PSCmdlet.WriteError((New-VaultNotFoundError $pattern)) }
        }
    }
}

function Unlock-SecretVault {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [securestring] $Password
    )
    process {
        if (-not $script:Vaults.ContainsKey($Name)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $Name)) }
        $store = Get-StandInStore $Name
        if ($null -eq $store.Password) { return }
        $given = [System.Net.NetworkCredential]::new('', $Password).Password
        $expected = [System.Net.NetworkCredential]::new('', $store.Password).Password
        if ($given -cne $expected) {
            $PSCmdlet.WriteError((New-StandInError ([System.InvalidOperationException]::new('Unable to unlock vault: Store file integrity check failed. The provided password may be invalid, or the store files have been corrupted or tampered with.')) 'UnlockSecretVaultInvalidOperation' InvalidOperation $Name))
            return
        }
        $store.Locked = $false
    }
}

function Set-Secret {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'SecureStringParameterSet')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'SecureStringParameterSet')]
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ObjectParameterSet')]
        [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(Mandatory, Position = 1, ValueFromPipeline, ParameterSetName = 'SecureStringParameterSet')] [securestring] $SecureStringSecret,
        [Parameter(Mandatory, Position = 1, ValueFromPipeline, ParameterSetName = 'ObjectParameterSet')] [object] $Secret,
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'SecretInfoParameterSet')] [SecretInformation] $SecretInfo,
        [Parameter(Position = 2, ParameterSetName = 'SecureStringParameterSet')]
        [Parameter(Position = 2, ParameterSetName = 'ObjectParameterSet')]
        [Parameter(Mandatory, ParameterSetName = 'SecretInfoParameterSet')] [string] $Vault,
        [Parameter(Position = 3, ParameterSetName = 'SecureStringParameterSet')]
        [Parameter(Position = 3, ParameterSetName = 'ObjectParameterSet')] [hashtable] $Metadata,
        [switch] $NoClobber
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'SecretInfoParameterSet') {
            # Copies the piped secret, value and metadata, from its own vault into -Vault.
            if (-not $script:Vaults.ContainsKey($SecretInfo.VaultName)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $SecretInfo.VaultName)) }
            $source = Get-StandInStore $SecretInfo.VaultName
            if ($source.Locked) {
                $PSCmdlet.WriteError((New-LockedError 'GetSecretException' "Unable to get secret $($SecretInfo.Name) from vault $($SecretInfo.VaultName)" $SecretInfo.Name))
                return
            }
            $Name = $SecretInfo.Name
            $value = Copy-StandInValue $source.Secrets[$Name]
            $Metadata = $source.Metadata[$Name]
        }
        else {
            # Plain assignments: an if-expression would unroll a byte[] into object[].
            $value = $Secret
            if ($PSCmdlet.ParameterSetName -eq 'SecureStringParameterSet') { $value = $SecureStringSecret }
            if ($value -is [psobject]) { $value = $value.psobject.BaseObject }
        }
        if (-not $Vault) { $Vault = $script:DefaultVault }
        if (-not $Vault) {
            $PSCmdlet.ThrowTerminatingError((New-StandInError ([System.InvalidOperationException]::new('Unable to set secret because no default vault is registered. Register a default vault or use the -Vault parameter.')) 'SetSecretFailNoVault' InvalidOperation $Name))
        }
        if (-not $script:Vaults.ContainsKey($Vault)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $Vault)) }
        $store = Get-StandInStore $Vault
        if ($store.Locked) {
            $PSCmdlet.WriteError((New-LockedError 'SetSecretException' "Unable to set secret $Name in vault $Vault" $Name))
            return
        }
        if ($NoClobber -and $store.Secrets.ContainsKey($Name)) {
            $PSCmdlet.ThrowTerminatingError((New-StandInError ([System.InvalidOperationException]::new("A secret with name $Name already exists in vault $Vault.")) 'SetSecretCommandAlreadyExistsWithNoClobber' ResourceExists $Name))
        }
        $refused = Test-StandInStorable $Name $value $Metadata
        if ($null -ne $refused) {
            # The real module reports the extension's refusal and then its own: the same record twice.
            $PSCmdlet.WriteError($refused)
            $PSCmdlet.WriteError($refused)
            return
        }
        if ($PSCmdlet.ShouldProcess($Vault, 'Write secret to vault and override any existing secret of the same name')) {
            $store.Secrets[$Name] = Copy-StandInValue $value
            # Without -Metadata the existing metadata is cleared.
            $store.Metadata[$Name] = $Metadata
        }
    }
}

function Set-SecretInfo {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'NameParameterSet')] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [hashtable] $Metadata,
        [Parameter(Position = 2, ParameterSetName = 'NameParameterSet')] [string] $Vault,
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')] [SecretInformation] $InputObject
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') { $Name = $InputObject.Name; $Vault = $InputObject.VaultName }
        if (-not $Vault) { $Vault = $script:DefaultVault }
        if (-not $Vault -or -not $script:Vaults.ContainsKey($Vault)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $Vault)) }
        $store = Get-StandInStore $Vault
        if ($store.Locked) {
            $PSCmdlet.WriteError((New-LockedError 'SetSecretInfoException' "Unable to set secret metadata $Name in vault $Vault" $Name))
            return
        }
        if (-not $store.Secrets.ContainsKey($Name)) {
            $PSCmdlet.WriteError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("Unable to set secret metadata: secret $Name was not found in vault $Vault.")) 'SecretStoreSetSecretInfoFailed' ObjectNotFound $Name))
            return
        }
        $refused = Test-StandInStorable $Name $store.Secrets[$Name] $Metadata
        if ($null -ne $refused) { $PSCmdlet.WriteError($refused); return }
        if ($PSCmdlet.ShouldProcess($Name, "Set metadata in vault $Vault")) { $store.Metadata[$Name] = $Metadata }
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
        if ($Vault) {
            if (-not $script:Vaults.ContainsKey($Vault)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $Vault)) }
            $order = @($script:Vaults[$Vault].Name)
        }
        else {
            $order = Get-StandInVaultOrder
            if ($order.Count -eq 0) { $PSCmdlet.WriteWarning('There are currently no extension vaults registered.') }
        }
        foreach ($vaultName in $order) {
            $store = Get-StandInStore $vaultName
            if ($store.Locked) {
                if (-not $Vault -and $store.LockedBehaviour -eq 'Terminating') {
                    $PSCmdlet.ThrowTerminatingError((New-StandInError ([PasswordRequiredException]::new('A valid password is required to access the Microsoft.PowerShell.SecretStore vault. Use the Unlock-SecretStore cmdlet to provide the required password to access the store.')) 'PasswordRequiredException' InvalidOperation $vaultName))
                }
                $PSCmdlet.WriteError((New-LockedError 'GetSecretException' "Unable to get secret $Name from vault $vaultName" $Name))
                if ($Vault) { return }
                continue
            }
            if ($store.Secrets.ContainsKey($Name)) {
                $value = ConvertTo-StandInOutput (Copy-StandInValue $store.Secrets[$Name]) ([bool]$AsPlainText)
                # Write-Output -NoEnumerate: a byte[] stays one object instead of being unrolled into bytes.
                $PSCmdlet.WriteObject($value, $false)
                return
            }
        }
        $PSCmdlet.WriteError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found.")) 'GetSecretNotFound' ObjectNotFound $Name))
    }
}

function Get-SecretInfo {
    [CmdletBinding()]
    [OutputType([SecretInformation])]
    param(
        [Parameter(Position = 0)] [SupportsWildcards()] [string] $Name = '*',
        [Parameter(Position = 1)] [string] $Vault
    )
    if ($Vault) {
        if (-not $script:Vaults.ContainsKey($Vault)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $Vault)) }
        $order = @($script:Vaults[$Vault].Name)
    }
    else { $order = Get-StandInVaultOrder }
    foreach ($vaultName in $order) {
        $store = Get-StandInStore $vaultName
        if ($store.Locked) {
            $PSCmdlet.WriteError((New-LockedError 'GetSecretInfoException' "Unable to get secret information from vault $vaultName" $vaultName))
            continue
        }
        $names = [System.Collections.Generic.List[string]]::new()
        foreach ($key in $store.Secrets.Keys) { if ($key -like $Name) { $names.Add($key) } }
        $names.Sort([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($secretName in $names) {
            New-StandInSecretInfo $secretName $store.Secrets[$secretName] $vaultName $store.Metadata[$secretName]
        }
    }
}

function Remove-Secret {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ParameterSetName = 'NameParameterSet')] [string] $Name,
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'NameParameterSet')] [string] $Vault,
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')] [SecretInformation] $InputObject
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') { $Name = $InputObject.Name; $Vault = $InputObject.VaultName }
        if (-not $script:Vaults.ContainsKey($Vault)) { $PSCmdlet.ThrowTerminatingError((New-VaultNotFoundError $Vault)) }
        $store = Get-StandInStore $Vault
        if ($store.Locked) {
            $PSCmdlet.WriteError((New-LockedError 'RemoveSecretException' "Unable to remove secret $Name from vault $Vault" $Name))
            return
        }
        if (-not $store.Secrets.ContainsKey($Name)) {
            $PSCmdlet.WriteError((New-StandInError ([System.InvalidOperationException]::new("Unable to remove secret: $Name was not found in vault $Vault.")) 'SecretStoreRemoveSecretFailed' InvalidOperation $Name))
            return
        }
        if ($PSCmdlet.ShouldProcess($Name, "Remove secret from vault $Vault")) {
            [void]$store.Secrets.Remove($Name)
            [void]$store.Metadata.Remove($Name)
        }
    }
}
