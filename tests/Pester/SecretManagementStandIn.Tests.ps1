# The SecretManagement stand-in (tests/SecretManagementStandIn) must behave like Microsoft.PowerShell.SecretManagement
# 1.1.2 with SecretStore 1.0.6 as observed in real pwsh, point by point: value conversions, Get-SecretInfo order, type
# and metadata, the error ids, categories and terminating-ness, the vault search order, the commands it used to lack
# and a locked store. Every other test that uses a vault relies on this, so a difference here is a false green there.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Import-TestModule
    Import-Module Microsoft.PowerShell.SecretManagement -Force

    function Reset-StandIn {
        foreach ($vault in @(Get-SecretVault)) { Unregister-SecretVault -Name $vault.Name }
    }

    # Runs $script and returns its terminating error record, or $null when it did not throw.
    function Get-TerminatingError([scriptblock] $script) {
        try { & $script; $null } catch { $_ }
    }
}

Describe 'Values' {
    BeforeAll {
        Reset-StandIn
        Register-SecretVault -ModuleName StandIn -Name V
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
        $plain = Get-Secret table -Vault V -AsPlainText
        $plain.s | Should -BeExactly 'str'
        $plain.p | Should -BeOfType [securestring]
    }

    It 'refuses int and PSCustomObject secrets with InvalidOperationException, written twice' {
        foreach ($value in 42, [pscustomobject]@{ a = 1 }) {
            Set-Secret -Name bad -Secret $value -Vault V -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count | Should -Be 2
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidOperationException,*'
        }
        Get-SecretInfo -Name bad -Vault V | Should -BeNullOrEmpty
    }

    It 'refuses Hashtable entries that are not byte[], string, SecureString or PSCredential with ArgumentException, twice' {
        Set-Secret -Name badtable -Secret @{ n = 1 } -Vault V -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 2
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ArgumentException,*'
    }
}

Describe 'Get-SecretInfo' {
    BeforeAll {
        Reset-StandIn
        Register-SecretVault -ModuleName StandIn -Name V
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

    It 'refuses other metadata values with SecretStoreSetSecretFailed' {
        Set-Secret -Name m2 -Secret 'x' -Vault V -Metadata @{ bad = 1.5 } -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretStoreSetSecretFailed,*'
    }

    It 'Set-Secret without -Metadata clears the existing metadata' {
        Set-Secret -Name withmeta -Secret 'y' -Vault V
        (Get-SecretInfo -Name withmeta -Vault V).Metadata.Count | Should -Be 0
    }

    It 'Set-SecretInfo sets metadata on an existing secret' {
        Set-SecretInfo -Name Alpha -Vault V -Metadata @{ tag = 't' }
        (Get-SecretInfo -Name Alpha -Vault V).Metadata['tag'] | Should -Be 't'
    }

    It 'pipes into Push-IExec*Secret by Name and VaultName' {
        $bound = Get-SecretInfo -Name Alpha -Vault V | ForEach-Object { $_.Name, $_.VaultName }
        $bound | Should -Be @('Alpha', 'V')
        (Get-Command Get-Secret).Parameters['Name'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Not -Contain $true
    }
}

Describe 'Errors' {
    BeforeAll {
        Reset-StandIn
        Register-SecretVault -ModuleName StandIn -Name V
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

    It 'Remove-Secret of a missing name is SecretStoreRemoveSecretFailed' {
        Remove-Secret -Name missing -Vault V -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretStoreRemoveSecretFailed,*'
    }

    It 'Register-SecretVault with a name in use fails with category InvalidArgument' {
        $record = Get-TerminatingError { Register-SecretVault -ModuleName StandIn -Name V }
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'warns when no vault is registered' {
        Reset-StandIn
        Get-Secret anything -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $warned.Count | Should -Be 1
        Register-SecretVault -ModuleName StandIn -Name V
    }
}

Describe 'Vaults' {
    BeforeEach { Reset-StandIn }

    It 'the first vault registered is the default; the others are searched alphabetically, case-insensitive' {
        Register-SecretVault -ModuleName StandIn -Name mid
        Register-SecretVault -ModuleName StandIn -Name Zulu
        Register-SecretVault -ModuleName StandIn -Name alpha
        (Get-SecretVault | Where-Object IsDefault).Name | Should -Be 'mid'
        Set-Secret -Name same -Secret 'from-zulu' -Vault Zulu
        Set-Secret -Name same -Secret 'from-alpha' -Vault alpha
        Get-Secret same -AsPlainText | Should -Be 'from-alpha'
        Set-Secret -Name same -Secret 'from-mid' -Vault mid
        Get-Secret same -AsPlainText | Should -Be 'from-mid'
    }

    It 'Get-SecretVault returns SecretVaultInfo with the documented properties' {
        Register-SecretVault -ModuleName StandIn -Name V -Description 'd' -VaultParameters @{ p = 1 }
        $info = Get-SecretVault -Name V
        $info.PSObject.TypeNames[0] | Should -Be 'Microsoft.PowerShell.SecretManagement.SecretVaultInfo'
        foreach ($property in 'Name', 'ModuleName', 'ModulePath', 'Description', 'VaultParameters', 'IsDefault') {
            $info.PSObject.Properties.Name | Should -Contain $property
        }
        $info.VaultParameters['p'] | Should -Be 1
    }

    It 'Set-SecretVaultDefault changes the vault searched first' {
        Register-SecretVault -ModuleName StandIn -Name A
        Register-SecretVault -ModuleName StandIn -Name B
        Set-Secret -Name s -Secret 'a' -Vault A
        Set-Secret -Name s -Secret 'b' -Vault B
        Set-SecretVaultDefault -Name B
        Get-Secret s -AsPlainText | Should -Be 'b'
        (Get-SecretVault -Name B).IsDefault | Should -BeTrue
    }

    It 'several SecretStore vault names share one store' {
        Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Store1
        Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Store2
        Set-Secret -Name shared -Secret 'one-store' -Vault Store1
        Get-Secret shared -Vault Store2 -AsPlainText | Should -Be 'one-store'
    }

    It 'Set-Secret copies a piped SecretInformation with its metadata into -Vault' {
        Register-SecretVault -ModuleName StandIn -Name From
        Register-SecretVault -ModuleName StandIn -Name To
        Set-Secret -Name moved -Secret ([byte[]](5, 6)) -Vault From -Metadata @{ k = 'v' }
        Get-SecretInfo -Name moved -Vault From | Set-Secret -Vault To
        , (Get-Secret moved -Vault To) | Should -BeOfType [byte[]]
        (Get-SecretInfo -Name moved -Vault To).Metadata['k'] | Should -Be 'v'
    }

    It 'Test-SecretVault is true for a usable vault' {
        Register-SecretVault -ModuleName StandIn -Name T
        Test-SecretVault -Name T | Should -BeTrue
    }
}

Describe 'A locked SecretStore' {
    BeforeEach {
        Reset-StandIn
        Register-SecretVault -ModuleName StandIn -Name Open
        Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Locked -VaultParameters @{ Password = (New-TestSecureString 'store-pw') }
    }

    It 'with -Vault: GetSecretException (InvalidOperation) wrapping PasswordRequiredException' {
        Get-Secret s -Vault Locked -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'GetSecretException,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failed[0].Exception.InnerException.GetType().Name | Should -Be 'PasswordRequiredException'
    }

    It 'without -Vault: GetSecretException then GetSecretNotFound' {
        Get-Secret s -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be @('GetSecretException', 'GetSecretNotFound')
    }

    It 'or, in the terminating mode, a terminating PasswordRequiredException' {
        Reset-StandIn
        Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Locked -VaultParameters @{ Password = (New-TestSecureString 'store-pw'); LockedBehaviour = 'Terminating' }
        $record = Get-TerminatingError { Get-Secret s -ErrorAction SilentlyContinue }
        $record.Exception.GetType().Name | Should -Be 'PasswordRequiredException'
    }

    It 'a wrong password does not unlock: "Store file integrity check failed"' {
        Unlock-SecretVault -Name Locked -Password (New-TestSecureString 'wrong') -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message | Should -Match 'Store file integrity check failed'
        Test-SecretVault -Name Locked -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'Unlock-SecretVault -Password unlocks it' {
        Unlock-SecretVault -Name Locked -Password (New-TestSecureString 'store-pw')
        Set-Secret -Name s -Secret 'v' -Vault Locked
        Get-Secret s -Vault Locked -AsPlainText | Should -Be 'v'
    }
}

Describe 'IExecSecrets against these errors' {
    BeforeAll {
        Reset-StandIn
        Register-SecretVault -ModuleName StandIn -Name V
        Register-SecretVault -ModuleName Microsoft.PowerShell.SecretStore -Name Locked -VaultParameters @{ Password = (New-TestSecureString 'store-pw') }
        Set-Secret -Name taken -Secret 'x' -Vault V
        $script:closed = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $closed.Start(); $script:url = "http://127.0.0.1:$($closed.LocalEndpoint.Port)"; $closed.Stop()
        Connect-IExecWallet -PrivateKey (New-TestSecureString '0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef') | Out-Null
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
        $failed[1].ErrorDetails.RecommendedAction | Should -Match 'Unlock-SecretVault -Name Locked'
    }

    It 'New-IExecWallet -Vault on a taken name fails WalletAlreadyExists and leaves the secret' {
        { New-IExecWallet -Vault V -VaultSecretName taken -ErrorAction Stop } | Should -Throw -ErrorId 'WalletAlreadyExists,IExecSecrets.Commands.NewIExecWalletCommand'
        Get-Secret taken -Vault V -AsPlainText | Should -Be 'x'
    }
}
