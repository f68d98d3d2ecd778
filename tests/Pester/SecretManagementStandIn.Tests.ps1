# The SecretManagement stand-in (tests/SecretManagementStandIn) checked against the behaviour observed in the real
# Microsoft.PowerShell.SecretManagement 1.1.2 + SecretStore 1.0.6 (shared note secretmanagement-behaviour.md, its
# first tables and the dated table "Update 2026-12-05"), row by row: value conversions, Get-SecretInfo, the error ids,
# categories, texts and terminating-ness, the vault search order, locked stores, Interaction=Prompt. Every other test
# that uses a vault relies on this, so a difference here is a false green there. Expected values are the note's, typed
# here from the observed table, never read from the stand-in.
#
# The same file runs against the real modules when they are installed (see SecretManagementStandIn.Helpers.ps1: on
# PSModulePath, or IEXEC_REAL_SECRETMANAGEMENT=<folder>); every Describe then says "real modules". The last block runs
# IExecSecrets against these behaviours: its error mapping per item, one password prompt per vault per command,
# results in input order, SecretManagement's default vault, and a real push to the devnet's SMS.

BeforeDiscovery {
    . $PSScriptRoot/SecretManagementStandIn.Helpers.ps1
    $real = Find-RealSecretManagement
    if ($real) { $env:IEXEC_REAL_SECRETMANAGEMENT = $real }
    $script:Subject = if ($real) { "real SecretManagement 1.1.2 + SecretStore 1.0.6 ($real)" } else { 'stand-in vs observed SecretManagement 1.1.2 + SecretStore 1.0.6' }
}

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    . $PSScriptRoot/SecretManagementStandIn.Helpers.ps1
    Import-TestModule
    $script:RealModules = Use-TestSecretManagement

    # Runs $script and returns its terminating error record, or $null when it did not throw.
    function Get-TerminatingError([scriptblock] $script) {
        try { & $script; $null } catch { $_ }
    }

    $script:PasswordRequiredText = 'A valid password is required to access the Microsoft.PowerShell.SecretStore vault.*Use the Unlock-SecretStore cmdlet*'
}

AfterAll {
    # Later files start without this file's vaults (the stand-in's registry lives as long as its module).
    Reset-TestVaults
}

Describe "Values (<Subject>)" -ForEach @{ Subject = $Subject } {
    BeforeAll {
        Reset-TestVaults
        New-TestStoreVault -Name V
        Set-Secret -Name text -Secret 'plain' -Vault V
        Set-Secret -Name secure -SecureStringSecret (New-TestSecureString 'hidden') -Vault V
        Set-Secret -Name bytes -Secret ([byte[]](1, 2, 3)) -Vault V
        Set-Secret -Name cred -Secret ([pscredential]::new('user', (New-TestSecureString 'pw'))) -Vault V
        Set-Secret -Name table -Secret @{ s = 'str'; b = [byte[]](9, 8); p = (New-TestSecureString 'in-table') } -Vault V
    }

    It 'a string comes back as a SecureString, or a string with -AsPlainText' {
        Get-Secret text -Vault V | Should -BeOfType [securestring]
        Get-Secret text -Vault V -AsPlainText | Should -BeExactly 'plain'
    }

    It 'a SecureString comes back as a SecureString, or a string with -AsPlainText' {
        Get-Secret secure -Vault V | Should -BeOfType [securestring]
        Get-Secret secure -Vault V -AsPlainText | Should -BeExactly 'hidden'
    }

    It 'a byte[] comes back as one byte[] object, with or without -AsPlainText' {
        foreach ($plain in $false, $true) {
            $value = @(Get-Secret bytes -Vault V -AsPlainText:$plain)
            $value.Count | Should -Be 1
            , $value[0] | Should -BeOfType [byte[]]
            $value[0] | Should -Be @(1, 2, 3)
        }
    }

    It 'a PSCredential comes back as a PSCredential, with or without -AsPlainText' {
        Get-Secret cred -Vault V | Should -BeOfType [pscredential]
        Get-Secret cred -Vault V -AsPlainText | Should -BeOfType [pscredential]
    }

    It 'a Hashtable comes back new, its string entries converted like strings and the others untouched' {
        $table = Get-Secret table -Vault V
        $table | Should -BeOfType [hashtable]
        $table.s | Should -BeOfType [securestring]
        , $table.b | Should -BeOfType [byte[]]
        $table.p | Should -BeOfType [securestring]
    }

    It 'Get-Secret -AsPlainText on a Hashtable turns its SecureString entries into strings too (2026-12-05 row)' {
        $plain = Get-Secret table -Vault V -AsPlainText
        $plain.s | Should -BeExactly 'str'
        $plain.p | Should -BeExactly 'in-table'
        , $plain.b | Should -BeOfType [byte[]]
    }

    It 'refuses int and PSCustomObject secrets twice: NotSpecified, MethodInvocationException "Invalid type…" (2026-12-05 row)' {
        foreach ($value in 42, [pscustomobject]@{ a = 1 }) {
            Set-Secret -Name bad -Secret $value -Vault V -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count | Should -Be 2
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidOperationException,*'
            $failed[0].CategoryInfo.Category | Should -Be 'NotSpecified'
            $failed[0].Exception | Should -BeOfType [System.Management.Automation.MethodInvocationException]
            $failed[0].Exception.Message | Should -BeExactly 'Exception calling "WriteObject" with "4" argument(s): "Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable"'
        }
        Get-SecretInfo -Name bad -Vault V | Should -BeNullOrEmpty
    }

    It 'refuses Hashtable entries that are not byte[], string, SecureString or PSCredential with ArgumentException, twice' {
        Set-Secret -Name badtable -Secret @{ n = 1 } -Vault V -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 2
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ArgumentException,*'
    }
}

Describe "Get-SecretInfo (<Subject>)" -ForEach @{ Subject = $Subject } {
    BeforeAll {
        Reset-TestVaults
        New-TestStoreVault -Name V
        foreach ($name in 'charlie', 'Alpha', 'bravo') { Set-Secret -Name $name -Secret 'x' -Vault V }
        Set-Secret -Name withmeta -Secret 'x' -Vault V -Metadata @{ owner = 'me'; n = 3; at = [datetime]'2026-01-01' }
    }

    It 'returns SecretInformation objects sorted by name within a vault' {
        $infos = Get-SecretInfo -Vault V
        $infos.Name | Should -Be @('Alpha', 'bravo', 'charlie', 'withmeta')
        $infos[0].PSObject.TypeNames[0] | Should -Be 'Microsoft.PowerShell.SecretManagement.SecretInformation'
        $infos[0].Type.ToString() | Should -Be 'String'
        $infos[0].VaultName | Should -Be 'V'
    }

    It 'keeps string, int and DateTime metadata in a read-only dictionary' {
        $meta = (Get-SecretInfo -Name withmeta -Vault V).Metadata
        $meta.GetType().Name | Should -BeLike 'ReadOnlyDictionary*'
        $meta['owner'] | Should -Be 'me'
        $meta['n'] | Should -Be 3
        $meta['at'] | Should -BeOfType [datetime]
    }

    It 'refuses other metadata values: SecretStoreSetSecretFailed, ItemNotFoundException "…only of types: string, int, DateTime" (2026-12-05 row)' {
        Set-Secret -Name m2 -Secret 'x' -Vault V -Metadata @{ bad = 1.5 } -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretStoreSetSecretFailed,*'
        $failed[0].Exception | Should -BeOfType [System.Management.Automation.ItemNotFoundException]
        $failed[0].Exception.Message | Should -BeLike '*accepts secret metadata only of types: string, int, DateTime*'
    }

    It 'Set-Secret without -Metadata clears the existing metadata' {
        Set-Secret -Name withmeta -Secret 'y' -Vault V
        (Get-SecretInfo -Name withmeta -Vault V).Metadata.Count | Should -Be 0
    }

    It 'Set-SecretInfo sets metadata on an existing secret' {
        Set-SecretInfo -Name Alpha -Vault V -Metadata @{ tag = 't' }
        (Get-SecretInfo -Name Alpha -Vault V).Metadata['tag'] | Should -Be 't'
    }

    It "Get-Secret's Name binds by value only, not by property name" {
        (Get-Command Get-Secret).Parameters['Name'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Not -Contain $true
    }
}

Describe "Errors (<Subject>)" -ForEach @{ Subject = $Subject } {
    BeforeAll {
        Reset-TestVaults
        New-TestStoreVault -Name V
        Set-Secret -Name exists -Secret 'x' -Vault V
    }

    It 'Get-Secret of a missing name is a non-terminating GetSecretNotFound, ObjectNotFound' {
        Get-Secret missing -Vault V -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'GetSecretNotFound,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It '<Command> -Vault NoSuch is a terminating GetSecretVaultNotFound, ObjectNotFound' -ForEach @(
        @{ Command = 'Get-Secret'; Script = { Get-Secret x -Vault NoSuch -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SecretInfo'; Script = { Get-SecretInfo -Vault NoSuch -ErrorAction SilentlyContinue } }
        @{ Command = 'Set-Secret'; Script = { Set-Secret -Name x -Secret 'v' -Vault NoSuch -ErrorAction SilentlyContinue } }
    ) {
        # -ErrorAction SilentlyContinue does not silence a terminating error: it must still throw.
        $record = Get-TerminatingError $Script
        $record | Should -Not -BeNullOrEmpty
        $record.FullyQualifiedErrorId | Should -BeLike 'GetSecretVaultNotFound,*'
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.Exception | Should -BeOfType [System.Management.Automation.PSInvalidOperationException]
        $record.Exception.Message | Should -Be 'Vault not found in registry: NoSuch'
    }

    It 'Set-Secret -NoClobber on an existing name is a terminating SetSecretCommandAlreadyExistsWithNoClobber, ResourceExists' {
        $record = Get-TerminatingError { Set-Secret -Name exists -Secret 'new' -Vault V -NoClobber -ErrorAction SilentlyContinue }
        $record.FullyQualifiedErrorId | Should -BeLike 'SetSecretCommandAlreadyExistsWithNoClobber,*'
        $record.CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Secret exists -Vault V -AsPlainText | Should -Be 'x'
    }

    It 'Remove-Secret of a missing name is SecretStoreRemoveSecretFailed, ItemNotFoundException "Remove-Secret error in vault V : Secret not found" (2026-12-05 row)' {
        Remove-Secret -Name missing -Vault V -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretStoreRemoveSecretFailed,*'
        $failed[0].Exception | Should -BeOfType [System.Management.Automation.ItemNotFoundException]
        $failed[0].Exception.Message | Should -BeLike 'Remove-Secret error in vault V : Secret not found*'
    }

    It 'Set-SecretInfo of a missing name is category InvalidOperation (2026-12-05 row)' {
        Set-SecretInfo -Name missing -Vault V -Metadata @{ a = 'b' } -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -BeGreaterThan 0
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'Register-SecretVault with a name in use fails InvalidArgument, "Provided Name for vault is already being used." (2026-12-05 row)' {
        $record = Get-TerminatingError { Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name V }
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -BeLike '*Provided Name for vault is already being used.*'
    }

    It 'Register-SecretVault of an unknown module fails RegisterSecretVaultCantGetModuleInfo (2026-12-05 row)' {
        $record = Get-TerminatingError { Register-SecretVault -ModuleName No.Such.Vault.Module -Name Unknown }
        $record.FullyQualifiedErrorId | Should -BeLike 'RegisterSecretVaultCantGetModuleInfo,*'
        Get-SecretVault -Name Unknown -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Test-SecretVault of a missing vault is TestSecretVaultNotFound (2026-12-05 row)' {
        Test-SecretVault -Name NoSuch -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'TestSecretVaultNotFound,*'
    }

    It 'Set-SecretVaultDefault of a missing vault is VaultNotFound, "Vault name was not found." (2026-12-05 row)' {
        $record = Get-TerminatingError { Set-SecretVaultDefault -Name NoSuch -ErrorAction SilentlyContinue }
        if ($null -eq $record) { Set-SecretVaultDefault -Name NoSuch -ErrorVariable failed -ErrorAction SilentlyContinue; $record = $failed[0] }
        $record.FullyQualifiedErrorId | Should -BeLike 'VaultNotFound,*'
        $record.Exception.Message | Should -BeLike '*Vault name was not found.*'
    }

    It 'warns when no vault is registered' {
        Reset-TestVaults
        Get-Secret anything -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $warned.Count | Should -Be 1
    }
}

Describe "Vaults (<Subject>)" -ForEach @{ Subject = $Subject } {
    BeforeEach { Reset-TestVaults }

    It 'the first vault registered is the default; the others are searched alphabetically, case-insensitive' {
        New-TestPlainVault -Name mid
        New-TestPlainVault -Name Zulu
        New-TestPlainVault -Name alpha
        (Get-SecretVault | Where-Object IsDefault).Name | Should -Be 'mid'
        Set-Secret -Name same -Secret 'from-zulu' -Vault Zulu
        Set-Secret -Name same -Secret 'from-alpha' -Vault alpha
        Get-Secret same -AsPlainText | Should -Be 'from-alpha'
        Set-Secret -Name same -Secret 'from-mid' -Vault mid
        Get-Secret same -AsPlainText | Should -Be 'from-mid'
    }

    It 'Get-SecretVault and Register-SecretVault -PassThru return a SecretVaultInfo object, not a PSCustomObject (2026-12-05 row)' {
        New-TestPlainVault -Name V -Description 'd' -VaultParameters @{ p = 1 }
        $info = Get-SecretVault -Name V
        $info.PSObject.TypeNames[0] | Should -Be 'Microsoft.PowerShell.SecretManagement.SecretVaultInfo'
        $info.PSObject.BaseObject | Should -Not -BeOfType [System.Management.Automation.PSCustomObject]
        foreach ($property in 'Name', 'ModuleName', 'ModulePath', 'Description', 'VaultParameters', 'IsDefault') {
            $info.PSObject.Properties.Name | Should -Contain $property
        }
        $info.VaultParameters['p'] | Should -Be 1
        $info.IsDefault | Should -BeTrue
    }

    It 'Set-SecretVaultDefault changes the vault searched first' {
        New-TestPlainVault -Name A
        New-TestPlainVault -Name B
        Set-Secret -Name s -Secret 'a' -Vault A
        Set-Secret -Name s -Secret 'b' -Vault B
        Set-SecretVaultDefault -Name B
        Get-Secret s -AsPlainText | Should -Be 'b'
        (Get-SecretVault -Name B).IsDefault | Should -BeTrue
    }

    It 'several SecretStore vault names share one store' {
        New-TestStoreVault -Name Store1
        New-TestStoreVault -Name Store2
        Set-Secret -Name shared -Secret 'one-store' -Vault Store1
        Get-Secret shared -Vault Store2 -AsPlainText | Should -Be 'one-store'
    }

    It 'Set-Secret copies a piped SecretInformation with its metadata into -Vault' {
        New-TestStoreVault -Name From
        New-TestPlainVault -Name To
        Set-Secret -Name moved -Secret ([byte[]](5, 6)) -Vault From -Metadata @{ k = 'v' }
        Get-SecretInfo -Name moved -Vault From | Set-Secret -Vault To
        , (Get-Secret moved -Vault To) | Should -BeOfType [byte[]]
        # The real modules' copy is checked with the script extension vault of the helpers, which keeps no metadata.
        if (-not $RealModules) { (Get-SecretInfo -Name moved -Vault To).Metadata['k'] | Should -Be 'v' }
    }

    It 'Test-SecretVault is true for a usable vault' {
        New-TestStoreVault -Name T
        Test-SecretVault -Name T | Should -BeTrue
    }
}

Describe "A locked SecretStore (<Subject>)" -ForEach @{ Subject = $Subject } {
    BeforeEach {
        Reset-TestVaults
        New-TestStoreVault -Name L -Password (New-TestSecureString 'store-pw')
    }

    It '<Command> is a terminating PasswordRequiredException, NotSpecified, with SecretStore''s text (2026-12-05 rows)' -ForEach @(
        @{ Command = 'Get-Secret without -Vault'; Script = { Get-Secret s -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-Secret -Vault'; Script = { Get-Secret s -Vault L -ErrorAction SilentlyContinue } }
        @{ Command = 'Set-Secret'; Script = { Set-Secret -Name s -Secret 'v' -Vault L -ErrorAction SilentlyContinue } }
    ) {
        $record = Get-TerminatingError $Script
        $record | Should -Not -BeNullOrEmpty
        $record.Exception.GetType().FullName | Should -BeLike '*PasswordRequiredException'
        $record.CategoryInfo.Category | Should -Be 'NotSpecified'
        $record.Exception.Message | Should -BeLike $PasswordRequiredText
    }

    It 'Test-SecretVault writes the GetInstance error, then "Test-SecretVault failed to write secret on vault L with error: ", then False (2026-12-05 row)' {
        $result = Test-SecretVault -Name L -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeFalse
        $failed.Count | Should -Be 2
        $failed[0].Exception.Message | Should -BeLike 'Exception calling "GetInstance" with "0" argument(s): *'
        $failed[1].Exception.Message | Should -BeExactly 'Test-SecretVault failed to write secret on vault L with error: '
    }

    It 'Unlock-SecretVault with a wrong password: SecretStoreUnlockFailed, AuthenticationError, "L Vault Unlock operation failed with error: Store file integrity check failed…" (2026-12-05 row)' {
        Unlock-SecretVault -Name L -Password (New-TestSecureString 'wrong') -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretStoreUnlockFailed,*'
        $failed[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failed[0].Exception.Message | Should -BeLike 'L Vault Unlock operation failed with error: Store file integrity check failed*'
        Test-SecretVault -Name L -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'Unlock-SecretVault -Password unlocks it' {
        Unlock-SecretVault -Name L -Password (New-TestSecureString 'store-pw')
        Set-Secret -Name s -Secret 'v' -Vault L
        Get-Secret s -Vault L -AsPlainText | Should -Be 'v'
    }

    It 'Unlock-SecretVault on a store without a password is an error, "not configured to use a password" (2026-12-05 row)' {
        Reset-TestVaults
        New-TestStoreVault -Name Open
        Unlock-SecretVault -Name Open -Password (New-TestSecureString 'any') -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -BeGreaterThan 0
        $failed[0].Exception.Message | Should -BeLike '*not configured to use a password*'
    }
}

Describe "Interaction=Prompt (<Subject>)" -ForEach @{ Subject = $Subject } {
    BeforeAll {
        $script:promptScript = @'
param($Helpers, $StandInHelpers, $Password)
. $Helpers; . $StandInHelpers
New-TestLockedPromptVault -Name LV -Password $Password -Secret @{ s = 'stored' }
try { Get-Secret s -Vault LV -AsPlainText } catch { "terminating:$($_.Exception.Message)" }
'@
        $script:promptArguments = @{ Helpers = "$PSScriptRoot/TestHelpers.ps1"; StandInHelpers = "$PSScriptRoot/SecretManagementStandIn.Helpers.ps1"; Password = (New-TestSecureString 'store-pw') }
    }

    It 'a locked store prompts "Vault LV requires a password." then "Enter password:", and the right password unlocks it' {
        $testHost = New-TestPromptHost -Answers 'store-pw'
        $run = Invoke-WithTestHost -PromptHost $testHost -Script $promptScript -Arguments $promptArguments
        $testHost.SecurePrompts | Should -Be 1
        $testHost.Written | Should -BeLike '*Vault LV requires a password.*Enter password:*'
        $run.Output | Where-Object { $_ -like 'terminating:*' } | Should -BeNullOrEmpty
    }

    It 'a host that cannot answer still shows the prompt text, then the command fails and the store stays locked' {
        $testHost = New-TestPromptHost
        $run = Invoke-WithTestHost -PromptHost $testHost -Script $promptScript -Arguments $promptArguments
        $testHost.SecurePrompts | Should -Be 1
        $testHost.Written | Should -BeLike '*Vault LV requires a password.*Enter password:*'
        @($run.Output | Where-Object { $_ -like 'terminating:*' }).Count | Should -Be 1
    }

    It 'a wrong password at the prompt fails the command with "Store file integrity check failed"' {
        $testHost = New-TestPromptHost -Answers 'not-it'
        $run = Invoke-WithTestHost -PromptHost $testHost -Script $promptScript -Arguments $promptArguments
        $testHost.SecurePrompts | Should -Be 1
        @($run.Output | Where-Object { $_ -like 'terminating:*' }) | Should -BeLike '*Store file integrity check failed*'
    }
}

Describe "IExecSecrets against these behaviours (<Subject>)" -ForEach @{ Subject = $Subject } {
    BeforeAll {
        Reset-TestVaults
        New-TestPlainVault -Name V
        New-TestStoreVault -Name Locked -Password (New-TestSecureString 'store-pw')
        Set-Secret -Name taken -Secret 'x' -Vault V
        $script:closed = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $closed.Start(); $script:url = "http://127.0.0.1:$($closed.LocalEndpoint.Port)"; $closed.Stop()
        $script:testKey = '0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
        Connect-IExecWallet -PrivateKey (New-TestSecureString $testKey) | Out-Null
    }
    AfterAll { Disconnect-IExecWallet }

    It 'Connect-IExecWallet -Vault NoSuch fails VaultNotFound, not the raw GetSecretVaultNotFound' {
        { Connect-IExecWallet -Vault NoSuch -VaultSecretName w -ErrorAction Stop } | Should -Throw -ErrorId 'VaultNotFound,IExecSecrets.Commands.ConnectIExecWalletCommand'
    }

    It 'a piped batch with one item in a missing vault and one in a locked vault reports two errors and goes on' {
        $items = [pscustomobject]@{ Name = 'c'; VaultName = 'NoSuch' }, [pscustomobject]@{ Name = 'd'; VaultName = 'Locked' }
        # The SMS port is closed: only the vault reads run; both items fail at the vault, never at the SMS.
        $items | Push-IExecRequesterSecret -SmsUrl $url -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed | ForEach-Object FullyQualifiedErrorId) | Should -Be @('VaultNotFound,IExecSecrets.Commands.PushIExecRequesterSecretCommand', 'VaultLocked,IExecSecrets.Commands.PushIExecRequesterSecretCommand')
        $failed[1].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failed[1].ErrorDetails.RecommendedAction | Should -Match 'Unlock-SecretVault -Name Locked'
    }

    It 'New-IExecWallet -Vault on a taken name fails WalletAlreadyExists and leaves the secret' {
        { New-IExecWallet -Vault V -VaultSecretName taken -ErrorAction Stop } | Should -Throw -ErrorId 'WalletAlreadyExists,IExecSecrets.Commands.NewIExecWalletCommand'
        Get-Secret taken -Vault V -AsPlainText | Should -Be 'x'
    }

    Context 'with the devnet SMS' {
        BeforeAll {
            $script:devnet = Start-TestDevNet
            $chains = @($devnet.Chain.chains.PSObject.Properties.Value)
            $script:sms = @($chains | ForEach-Object { $_.sms.scone } | Where-Object { $_ })[0]
            # Each run pushes under names of its own: the devnet's SMS keeps what it stored for the test key.
            $script:run = [guid]::NewGuid().ToString('n').Substring(0, 8)
            $script:batchScript = @'
param($Helpers, $StandInHelpers, $Key, $Sms, $Names, $Password, [switch] $WrongPassword, [switch] $DefaultVault)
. $Helpers; . $StandInHelpers
$stored = @{}; foreach ($name in $Names) { $stored[$name] = "value-of-$name" }
New-TestLockedPromptVault -Name LV -Password $Password -Secret $stored
$wallet = [securestring]::new(); foreach ($c in $Key.ToCharArray()) { $wallet.AppendChar($c) }
Connect-IExecWallet -PrivateKey $wallet | Out-Null
# Output and errors merged in the order they are written, one line each.
$Names | ForEach-Object { [pscustomobject]@{ Name = $_; VaultName = 'LV' } } |
    Push-IExecRequesterSecret -SmsUrl $Sms -ErrorAction Continue 2>&1 |
    ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "error:$($_.TargetObject):$($_.FullyQualifiedErrorId.Split(',')[0]):$($_.CategoryInfo.Category):$($_.ErrorDetails.RecommendedAction)" } else { "ok:$($_.Name)" } }
'@
            function Get-BatchArguments([string[]] $Names) {
                @{ Helpers = "$PSScriptRoot/TestHelpers.ps1"; StandInHelpers = "$PSScriptRoot/SecretManagementStandIn.Helpers.ps1"
                    Key = $testKey; Sms = $sms; Names = $Names; Password = (New-TestSecureString 'store-pw') }
            }
        }
        AfterAll { Stop-TestDevNet $devnet }

        It 'Get-SecretInfo | Push-IExecRequesterSecret pushes every piped secret to the SMS, by Name and VaultName' {
            $names = "pipe-a-$run", "pipe-b-$run"
            foreach ($name in $names) { Set-Secret -Name $name -Secret "value-of-$name" -Vault V }
            $results = @(Get-SecretInfo -Name "pipe-*-$run" -Vault V | Push-IExecRequesterSecret -SmsUrl $sms)
            $results.Name | Should -Be $names
            $results.Result | ForEach-Object { $_.ToString() } | Should -Be @('Pushed', 'Pushed')
            foreach ($name in $names) { Test-IExecRequesterSecret $name -SmsUrl $sms -Quiet | Should -BeTrue }
        }

        It 'results and errors of a piped batch come back in input order' {
            $names = "order-1-$run", "order-2-$run", "order-3-$run", "order-4-$run"
            foreach ($name in $names[0], $names[2], $names[3]) { Set-Secret -Name $name -Secret "value-of-$name" -Vault V }
            # The second item's vault is missing: it fails at once, while the first item's push is still on its way.
            $items = $names | ForEach-Object { [pscustomobject]@{ Name = $_; VaultName = if ($_ -eq $names[1]) { 'NoSuch' } else { 'V' } } }
            $lines = @($items | Push-IExecRequesterSecret -SmsUrl $sms -ErrorAction Continue 2>&1 | ForEach-Object {
                    if ($_ -is [System.Management.Automation.ErrorRecord]) { "error:$($_.TargetObject)" } else { "ok:$($_.Name)" } })
            $lines | Should -Be @("ok:$($names[0])", "error:$($names[1])", "ok:$($names[2])", "ok:$($names[3])")
        }

        It 'a wrong password at the SecretStore prompt: one prompt for the whole batch, VaultPasswordIncorrect (AuthenticationError) per item, nothing pushed' {
            $names = "wrong-1-$run", "wrong-2-$run", "wrong-3-$run"
            $testHost = New-TestPromptHost -Answers 'not-it', 'not-it', 'not-it'
            $run1 = Invoke-WithTestHost -PromptHost $testHost -Script $batchScript -Arguments (Get-BatchArguments $names)
            $run1.Errors | Should -BeNullOrEmpty
            $testHost.SecurePrompts | Should -Be 1
            $run1.Output.Count | Should -Be 3
            for ($i = 0; $i -lt 3; $i++) {
                $parts = $run1.Output[$i] -split ':', 5
                $parts[0..3] | Should -Be @('error', $names[$i], 'VaultPasswordIncorrect', 'AuthenticationError')
                $parts[4] | Should -Match 'Check the vault password'
            }
            foreach ($name in $names) { Test-IExecRequesterSecret $name -SmsUrl $sms -Quiet | Should -BeFalse }
        }

        It 'the right password at the prompt: one prompt, every secret pushed, in input order' {
            $names = "right-1-$run", "right-2-$run", "right-3-$run"
            $testHost = New-TestPromptHost -Answers 'store-pw'
            $run1 = Invoke-WithTestHost -PromptHost $testHost -Script $batchScript -Arguments (Get-BatchArguments $names)
            $run1.Errors | Should -BeNullOrEmpty
            $testHost.SecurePrompts | Should -Be 1
            $run1.Output | Should -Be @($names | ForEach-Object { "ok:$_" })
            foreach ($name in $names) { Test-IExecRequesterSecret $name -SmsUrl $sms -Quiet | Should -BeTrue }
        }

        It "without -Vault and without a saved default, SecretManagement's default vault gives the value, and verbose names it" {
            New-TestPlainVault -Name DefaultOne
            Set-SecretVaultDefault -Name DefaultOne
            $name = "default-$run"
            Set-Secret -Name $name -Secret "value-of-$name" -Vault DefaultOne
            $verbose = Push-IExecRequesterSecret $name -SmsUrl $sms -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match "default vault 'DefaultOne'"
            Test-IExecRequesterSecret $name -SmsUrl $sms -Quiet | Should -BeTrue
        }
    }
}
