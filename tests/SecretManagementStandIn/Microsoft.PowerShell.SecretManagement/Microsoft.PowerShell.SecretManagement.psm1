# In-memory SecretManagement stand-in that behaves like Microsoft.PowerShell.SecretManagement 1.1.2 with the
# Microsoft.PowerShell.SecretStore 1.0.6 extension, as observed in real pwsh (value conversions, Get-SecretInfo order
# and metadata, error ids, categories and terminating-ness, vault search order, locked stores). Only core-engine
# commands are used (no Write-Warning, Select-Object, Add-Type, ConvertTo-SecureString): the hosted test engine has
# nothing else. Error ids carry the real ids; PowerShell appends this function's name instead of the C# class name.
#
# The reference is the table "Update 2026-12-05" of the project's shared note secretmanagement-behaviour.md (the real
# modules observed beside this stand-in, path by path); tests/Pester/SecretManagementStandIn.Tests.ps1 checks it row
# by row, and runs unchanged against the real modules when they are installed.
#
# Stand-in switches, given as -VaultParameters to Register-SecretVault:
#   Password = <SecureString>      the store needs this password and starts locked (SecretStore password mode);
#                                  Unlock-SecretVault -Name <vault> -Password <it> unlocks it
#   Interaction = 'Prompt'         a locked store asks the host for its password, as SecretStore does: "Vault <name>
#                                  requires a password." then "Enter password:" (an empty answer asks again); the right
#                                  password unlocks it, a wrong one fails terminating with "Store file integrity check
#                                  failed" as a PasswordRequiredException (which the module used to report as locked)
#   LockedBehaviour                accepted and ignored: a locked store always ends the command, as the real one does
# -ModuleName: 'StandIn' (this stand-in's own extension), Microsoft.PowerShell.SecretStore, or a module that
# Get-Module -ListAvailable finds; anything else fails RegisterSecretVaultCantGetModuleInfo, as the real module does.
# Vaults registered with -ModuleName Microsoft.PowerShell.SecretStore share one store, like the real extension.
# Stores live in memory: once no registered vault names a store, it is dropped (the real ones persist on disk).
# Known differences left: SecretInformation and SecretVaultInfo are PowerShell classes (the real ones are .NET types in
# Microsoft.PowerShell.SecretManagement; that full name is added as their first TypeName), no SecretStore cmdlets
# (Unlock-SecretStore, Set-SecretStoreConfiguration), nothing kept across processes.

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
# store key -> @{ Secrets = Dictionary[name -> value]; Metadata = Dictionary[name -> hashtable]; Password; Locked; Interaction }
$script:Stores = [System.Collections.Generic.Dictionary[string, hashtable]]::new([System.StringComparer]::OrdinalIgnoreCase)
$script:DefaultVault = $null
$script:SecretStoreModule = 'Microsoft.PowerShell.SecretStore'

function New-StandInError([System.Exception] $exception, [string] $id, [System.Management.Automation.ErrorCategory] $category, [object] $target) {
    [System.Management.Automation.ErrorRecord]::new($exception, $id, $category, $target)
}

function New-VaultNotFoundError([string] $vault) {
    New-StandInError ([System.Management.Automation.PSInvalidOperationException]::new("Vault not found in registry: $vault")) 'GetSecretVaultNotFound' ObjectNotFound $vault
}

$script:PasswordRequiredMessage = "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.`nUse the Unlock-SecretStore cmdlet to provide the required password to access the store."
$script:IntegrityMessage = "Store file integrity check failed.`nThe provided password may be invalid, or store files have become corrupted or have been tampered with."

# The real locked-store error: the exception itself is SecretStore's PasswordRequiredException, category NotSpecified.
function New-LockedError([object] $target) {
    New-StandInError ([PasswordRequiredException]::new($script:PasswordRequiredMessage)) 'PasswordRequiredException' NotSpecified $target
}

# A locked store in the way of a command: with Interaction=Prompt the host is asked for the password (SecretStore's
# prompt text); the right one unlocks the store and the command goes on. Otherwise, or with a wrong password, the
# command ends with a terminating error.
function Assert-StandInUnlocked([System.Management.Automation.PSCmdlet] $cmdlet, [string] $vault, [object] $target) {
    $store = Get-StandInStore $vault
    if (-not $store.Locked) { return }
    if ($store.Interaction -ne 'Prompt') { $cmdlet.ThrowTerminatingError((New-LockedError $target)) }
    $ui = $cmdlet.Host.UI
    $ui.WriteLine("Vault $vault requires a password.")
    $given = $null
    while ($null -eq $given -or $given.Length -eq 0) {
        $ui.WriteLine('Enter password:')
        try { $given = $ui.ReadLineAsSecureString() }
        catch {
            # -NonInteractive: the prompt text is printed, then the read fails; the store stays locked.
            $cmdlet.ThrowTerminatingError((New-LockedError $target))
        }
        if ($given.Length -eq 0) { $ui.WriteLine("`nThe entered password cannot be empty.  Please re-enter the password.`n") }
    }
    if (-not (Test-StandInPassword $store $given)) {
        $cmdlet.ThrowTerminatingError((New-StandInError ([PasswordRequiredException]::new($script:IntegrityMessage)) 'PasswordRequiredException' NotSpecified $target))
    }
    $store.Locked = $false
}

function Test-StandInPassword([hashtable] $store, [securestring] $given) {
    [System.Net.NetworkCredential]::new('', $given).Password -ceq [System.Net.NetworkCredential]::new('', $store.Password).Password
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
# -AsPlainText; byte[] and PSCredential as they are; Hashtable -> a new Hashtable whose string and SecureString
# entries are converted like top-level values and whose other entries are left untouched.
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
            # With -AsPlainText, SecureString entries become strings too (real 1.1.2).
            elseif ($entry -is [securestring] -and $asPlainText) { $entry = [System.Net.NetworkCredential]::new('', $entry).Password }
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

# The real SecretVaultInfo is a .NET type, not a PSCustomObject.
class SecretVaultInfo {
    [string] $Name
    [string] $ModuleName
    [string] $ModulePath
    [string] $Description
    [hashtable] $VaultParameters
    [bool] $IsDefault
}

function New-StandInVaultInfo([hashtable] $vault) {
    $info = [SecretVaultInfo]::new()
    $info.Name = $vault.Name
    $info.ModuleName = $vault.ModuleName
    $info.ModulePath = $vault.ModulePath
    $info.Description = $vault.Description
    $info.VaultParameters = $vault.VaultParameters
    $info.IsDefault = ($script:DefaultVault -eq $vault.Name)
    $wrapped = [psobject]::new($info)
    $wrapped.PSObject.TypeNames.Insert(0, 'Microsoft.PowerShell.SecretManagement.SecretVaultInfo')
    $wrapped
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
        # Real: SecretStore's WriteObject refuses it, surfacing as a MethodInvocationException, category NotSpecified.
        $inner = [System.InvalidOperationException]::new('Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable')
        $exception = [System.Management.Automation.MethodInvocationException]::new('Exception calling "WriteObject" with "4" argument(s): "Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable"', $inner)
        return New-StandInError $exception 'InvalidOperationException' NotSpecified $name
    }
    if ($null -ne $metadata) {
        foreach ($key in $metadata.Keys) {
            $entry = $metadata[$key]
            if ($entry -is [psobject]) { $entry = $entry.psobject.BaseObject }
            if (-not ($entry -is [string] -or $entry -is [int] -or $entry -is [datetime])) {
                return New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("Cannot store secret metadata $key for secret $name. Microsoft.PowerShell.SecretStore accepts secret metadata only of types: string, int, DateTime")) 'SecretStoreSetSecretFailed' ObjectNotFound $name
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
    if ($ModuleName -ne 'StandIn' -and $ModuleName -ne $script:SecretStoreModule -and -not (Get-Module -ListAvailable -Name $ModuleName)) {
        $PSCmdlet.ThrowTerminatingError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("Could not load and retrieve module information for module: $ModuleName.")) 'RegisterSecretVaultCantGetModuleInfo' ObjectNotFound $ModuleName))
    }
    if ($script:Vaults.ContainsKey($Name) -and -not $AllowClobber) {
        $PSCmdlet.ThrowTerminatingError((New-StandInError ([System.InvalidOperationException]::new('Provided Name for vault is already being used.')) 'RegisterSecretVaultInvalidVaultName' InvalidArgument $Name))
    }
    if ($PSCmdlet.ShouldProcess($Name, 'Register module as a SecretManagement extension vault')) {
        # Every SecretStore vault name is a view of the same store.
        $storeKey = if ($ModuleName -eq $script:SecretStoreModule) { $script:SecretStoreModule } else { $Name }
        if (-not $script:Stores.ContainsKey($storeKey)) {
            $password = $null
            $interaction = 'None'
            if ($null -ne $VaultParameters) {
                $password = $VaultParameters['Password']
                if ($VaultParameters['Interaction']) { $interaction = [string]$VaultParameters['Interaction'] }
            }
            $script:Stores[$storeKey] = @{
                Secrets         = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
                Metadata        = [System.Collections.Generic.Dictionary[string, hashtable]]::new([System.StringComparer]::OrdinalIgnoreCase)
                Password        = $password
                Locked          = ($null -ne $password)
                Interaction     = $interaction
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
        if (-not $script:Vaults.ContainsKey($Name)) {
            $PSCmdlet.ThrowTerminatingError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new('Vault name was not found.')) 'VaultNotFound' ObjectNotFound $Name))
        }
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
                    # Real: SecretStore's GetInstance fails, then SecretManagement reports the test with an empty message.
                    $exception = [System.Management.Automation.MethodInvocationException]::new("Exception calling `"GetInstance`" with `"0`" argument(s): `"$($script:PasswordRequiredMessage)`"", [PasswordRequiredException]::new($script:PasswordRequiredMessage))
                    $PSCmdlet.WriteError((New-StandInError $exception 'PasswordRequiredException' NotSpecified $vault))
                    $PSCmdlet.WriteError((New-StandInError ([System.InvalidOperationException]::new("Test-SecretVault failed to write secret on vault $vault with error: ")) 'TestSecretVaultInvalidOperation' InvalidOperation $vault))
                    $false
                }
                else { $true }
            }
            if (-not $found) {
                $PSCmdlet.WriteError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("Vault not found in registry: $pattern")) 'TestSecretVaultNotFound' ObjectNotFound $pattern))
            }
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
        $vaultInfo = $script:Vaults[$Name]
        $store = Get-StandInStore $Name
        if ($null -eq $store.Password) {
            # Real: SecretStore refuses to unlock a store that has no password; other extensions are left alone here.
            if ($vaultInfo.ModuleName -eq $script:SecretStoreModule) {
                $PSCmdlet.WriteError((New-StandInError ([System.InvalidOperationException]::new("$Name Vault Unlock operation failed with error: The Microsoft.PowerShell.SecretStore is not configured to use a password.")) 'SecretStoreUnlockFailed' InvalidOperation $Name))
            }
            return
        }
        if (-not (Test-StandInPassword $store $Password)) {
            $PSCmdlet.WriteError((New-StandInError ([System.InvalidOperationException]::new("$Name Vault Unlock operation failed with error: $($script:IntegrityMessage)")) 'SecretStoreUnlockFailed' AuthenticationError $Name))
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
            Assert-StandInUnlocked $PSCmdlet $SecretInfo.VaultName $SecretInfo.Name
            $source = Get-StandInStore $SecretInfo.VaultName
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
        Assert-StandInUnlocked $PSCmdlet $Vault $Name
        $store = Get-StandInStore $Vault
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
        Assert-StandInUnlocked $PSCmdlet $Vault $Name
        $store = Get-StandInStore $Vault
        if (-not $store.Secrets.ContainsKey($Name)) {
            $PSCmdlet.WriteError((New-StandInError ([System.InvalidOperationException]::new("Unable to set secret metadata: secret $Name was not found in vault $Vault.")) 'SecretStoreSetSecretInfoFailed' InvalidOperation $Name))
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
            # Real: a locked SecretStore ends the command (PasswordRequiredException), unless its prompt unlocks it.
            Assert-StandInUnlocked $PSCmdlet $vaultName $Name
            $store = Get-StandInStore $vaultName
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
        Assert-StandInUnlocked $PSCmdlet $vaultName $vaultName
        $store = Get-StandInStore $vaultName
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
        Assert-StandInUnlocked $PSCmdlet $Vault $Name
        $store = Get-StandInStore $Vault
        if (-not $store.Secrets.ContainsKey($Name)) {
            $PSCmdlet.WriteError((New-StandInError ([System.Management.Automation.ItemNotFoundException]::new("Remove-Secret error in vault $Vault : Secret not found")) 'SecretStoreRemoveSecretFailed' ObjectNotFound $Name))
            return
        }
        if ($PSCmdlet.ShouldProcess($Name, "Remove secret from vault $Vault")) {
            [void]$store.Secrets.Remove($Name)
            [void]$store.Metadata.Remove($Name)
        }
    }
}
