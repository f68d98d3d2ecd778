# Every PowerShell example of README.md, run as a user would, against the local iExec network (one devnet for the
# file). Each README line is quoted in a "# README: <line>" comment above the code that runs it (placeholders such as
# 0x… and MyVault replaced by devnet values); the first test fails when README.md gains a PowerShell line that no
# test file quotes that way, so the examples cannot drift from what is tested.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Import-TestModule
    $script:repo = Get-TestRepoRoot
    $script:devnet = Start-TestDevNet
    $script:requester = @($devnet.Accounts | Where-Object role -EQ requester)[0]
    $script:work = New-TestDirectory -Prefix 'iexec-readme'
    Copy-TestDevNetChain $devnet $work
    Push-Location $work

    function Connect-Requester { Connect-IExecWallet -PrivateKey (New-TestSecureString $requester.privateKey) | Out-Null }

    # The README's PowerShell lines: ```powershell blocks, comments and blank lines dropped, backtick continuations joined.
    function Get-ReadmePowerShellLine {
        $lines = Get-Content (Join-Path $repo 'README.md')
        $inBlock = $false
        $pending = ''
        foreach ($line in $lines) {
            if ($line -match '^```powershell\s*$') { $inBlock = $true; continue }
            if ($line -match '^```') { $inBlock = $false; continue }
            if (-not $inBlock) { continue }
            $code = ($line -replace '\s+#\s.*$', '').TrimEnd()
            if ($code -match '^\s*#' -or -not $code.Trim()) { continue }
            if ($code.EndsWith('`')) { $pending += $code.TrimEnd('`').TrimEnd() + ' '; continue }
            ($pending + $code.Trim()).Trim()
            $pending = ''
        }
    }
}

AfterAll {
    Pop-Location
    Disconnect-IExecWallet -ErrorAction SilentlyContinue
    Stop-TestDevNet $devnet
    Remove-TestDirectory $work
}

Describe 'README.md PowerShell examples' {
    # (No angle brackets in test names: Pester expands <name> from test data.)
    It 'are each quoted by a test, a "# README: LINE" comment in tests/Pester' {
        $quoted = Get-ChildItem $PSScriptRoot -Filter *.Tests.ps1 | Get-Content |
            Where-Object { $_ -match '^\s*# README: (.+)$' } | ForEach-Object { $Matches[1].Trim() }
        $readme = @(Get-ReadmePowerShellLine)
        $readme.Count | Should -BeGreaterThan 20
        $missing = @($readme | Where-Object { $_ -notin $quoted })
        $missing | Should -BeNullOrEmpty -Because 'every README example line needs a test'
    }
}

Describe 'README: Install and import' {
    It 'imports the built module from the repository root in a new pwsh and shows commands and help' {
        # README: dotnet build -c Release
        # (eng/test.sh builds in Release before this suite runs; the layout it produced is what is imported here.)
        $result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -WorkingDirectory $repo -Script @'
$ErrorActionPreference = 'Stop'
# README: Import-Module ./out/IExecSecrets/IExecSecrets.psd1
Import-Module ./out/IExecSecrets/IExecSecrets.psd1
# README: Get-Command -Module IExecSecrets
"commands $((Get-Command -Module IExecSecrets).Count)"
# README: Get-Help Push-IExecRequesterSecret -Examples
"examples $(@((Get-Help Push-IExecRequesterSecret -Examples).examples.example).Count)"
# README: Get-Help about_IExecSecrets
"about $((Get-Help about_IExecSecrets | Out-String).Length)"
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $manifest = Import-PowerShellDataFile (Get-TestManifestPath)
        $result.Output | Should -Contain "commands $($manifest.CmdletsToExport.Count)"
        [int](@($result.Output -match '^examples ')[0] -replace 'examples ') | Should -BeGreaterOrEqual 2
        [int](@($result.Output -match '^about ')[0] -replace 'about ') | Should -BeGreaterThan 200
    }

    It 'runs in a pwsh of version 7.4 or later, the version the manifest requires' {
        # README: $PSVersionTable.PSVersion
        $result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -Script '$PSVersionTable.PSVersion.ToString()'
        $result.ExitCode | Should -Be 0 -Because $result.Error
        [version]$result.Output[-1] | Should -BeGreaterOrEqual ([version](Import-PowerShellDataFile (Get-TestManifestPath)).PowerShellVersion)
        [version](Import-PowerShellDataFile (Get-TestManifestPath)).PowerShellVersion | Should -Be ([version]'7.4')
    }

    It 'opens the cmdlet page in the browser with Get-Help -Online' -Skip:(-not $IsLinux) {
        # .NET opens a URI with the first xdg-open on PATH: a stand-in records it instead of starting a browser.
        $bin = New-TestDirectory -Prefix 'iexec-xdg'
        $opened = Join-Path $bin 'opened.txt'
        Set-Content -Path (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`nprintf '%s\n' `"`$1`" >> '$opened'`n"
        chmod +x (Join-Path $bin 'xdg-open')
        $result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -WorkingDirectory $repo -Environment @{ PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH" } -Script @'
$ErrorActionPreference = 'Stop'
Import-Module ./out/IExecSecrets/IExecSecrets.psd1
# README: Get-Help Save-IExecTaskResult -Online
Get-Help Save-IExecTaskResult -Online
'@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline -and -not (Test-Path $opened)) { Start-Sleep -Milliseconds 200 }
        $project = (Import-PowerShellDataFile (Get-TestManifestPath)).PrivateData.PSData.ProjectUri
        @(Get-Content $opened) | Should -Be @("$project/blob/main/docs/cmdlets/Save-IExecTaskResult.md")
        Test-Path (Join-Path $repo 'docs/cmdlets/Save-IExecTaskResult.md') | Should -BeTrue
        Remove-TestDirectory $bin
    }

    It 'installs from the package with PowerShellGet 2 (Register-PSRepository, Install-Module), as the README says' {
        $packages = New-TestDirectory -Prefix 'iexec-psget'
        $fresh = New-TestHome
        try {
            $nupkg = & (Join-Path $repo 'build.ps1') -Package -NoBuild -PackageDirectory $packages
            $nupkg | Should -Not -BeNullOrEmpty
            $result = Invoke-TestPwsh -HomeDirectory $fresh -ModulePath $null -ArgumentList @($packages) -Script @'
$ErrorActionPreference = 'Stop'
Register-PSRepository -Name Local -SourceLocation $args[0] -InstallationPolicy Trusted
Install-Module IExecSecrets -Repository Local -Scope CurrentUser
Set-Location ([IO.Path]::GetTempPath())
Import-Module IExecSecrets
"base $((Get-Module IExecSecrets).ModuleBase)"
"default $((Get-Help Save-IExecTaskResult -Parameter Path).defaultValue)"
'@
            $result.ExitCode | Should -Be 0 -Because ($result.Error + ($result.Output -join "`n"))
            (@($result.Output -like 'base *')[0] -replace '^base ') | Should -BeLike "$fresh/*"
            $result.Output | Should -Contain 'default the current folder'
        }
        finally { Remove-TestDirectory $fresh; Remove-TestDirectory $packages }
    }

    It 'imports by name after the built folder is copied as IExecSecrets into the first PSModulePath folder' {
        $fresh = New-TestHome
        try {
            $result = Invoke-TestPwsh -HomeDirectory $fresh -ModulePath $null -WorkingDirectory $repo -Script @'
$ErrorActionPreference = 'Stop'
$modules = ($env:PSModulePath -split [IO.Path]::PathSeparator)[0]
"first $modules"
New-Item -ItemType Directory -Force $modules | Out-Null
Copy-Item -Recurse ./out/IExecSecrets (Join-Path $modules IExecSecrets)
Set-Location ([IO.Path]::GetTempPath())
Import-Module IExecSecrets
"base $((Get-Module IExecSecrets).ModuleBase)"
'@
            $result.ExitCode | Should -Be 0 -Because $result.Error
            $first = @($result.Output -like 'first *')[0] -replace '^first '
            $first | Should -Be (Join-Path $fresh '.local/share/powershell/Modules') -Because 'the first PSModulePath folder is the user''s own'
            $result.Output | Should -Contain "base $(Join-Path $first IExecSecrets)"
        }
        finally { Remove-TestDirectory $fresh }
    }

    It 'has no module manifest at the repository root, where it could not import (the dll is not beside it)' {
        # Import-Module ./IExecSecrets.psd1 from the root used to fail with a missing RootModule; the manifest's source
        # now lives in src/IExecSecrets and the README imports the built layout.
        @(Get-ChildItem $repo -Filter *.psd1 -File) | Should -BeNullOrEmpty
        Test-Path (Join-Path $repo 'src/IExecSecrets/IExecSecrets.psd1') | Should -BeTrue
    }
}

Describe 'README: Connect a wallet without exposing the key' {
    AfterEach { Disconnect-IExecWallet -ErrorAction SilentlyContinue }

    It 'connects from a private key kept in a vault' {
        Register-TestVault -Name MyVault -Secret @{ 'iexec-wallet' = (New-TestSecureString $requester.privateKey) }
        # README: Connect-IExecWallet -Vault MyVault -VaultSecretName iexec-wallet
        Connect-IExecWallet -Vault MyVault -VaultSecretName iexec-wallet
        (Get-IExecWallet).Address | Should -Be $requester.address
    }

    It 'connects from an iexec-CLI keystore found by address in ~/.ethereum/keystore, with the password read from the host' {
        $password = New-TestSecureString 'a keystore password'
        $wallet = New-IExecWallet -Password $password
        Test-Path (Join-Path $HOME '.ethereum/keystore') | Should -BeTrue
        Mock Read-Host { $password } -ParameterFilter { $AsSecureString }
        # README: Connect-IExecWallet -Address 0xFCAd0B19bB29D4674531d6f115237E16AfCE377c -Password (Read-Host -AsSecureString)
        Connect-IExecWallet -Address $wallet.Address -Password (Read-Host -AsSecureString)
        (Get-IExecWallet).Address | Should -Be $wallet.Address
        Should -Invoke Read-Host -Times 1 -Exactly
    }

    It 'creates a new wallet straight into a vault and connects it, then disconnects' {
        Register-TestVault -Name MyVault
        # README: New-IExecWallet -Vault MyVault -VaultSecretName iexec-wallet -Connect
        $wallet = New-IExecWallet -Vault MyVault -VaultSecretName iexec-wallet -Connect
        (Get-IExecWallet).Address | Should -Be $wallet.Address
        Get-SecretInfo -Vault MyVault -Name iexec-wallet | Should -Not -BeNullOrEmpty
        # README: Disconnect-IExecWallet
        Disconnect-IExecWallet
        { Get-IExecWallet -ErrorAction Stop } | Should -Throw
    }
}

Describe 'README: Deploy an app' {
    BeforeAll {
        $script:project = New-TestDirectory -Prefix 'iexec-readme-project'
        Push-Location $project
        Connect-Requester
    }
    AfterAll { Pop-Location; Remove-TestDirectory $project }

    It 'initializes a project, deploys the app of iexec.json and reads it back from deployed.json' {
        # The devnet's chain.json is already there: Initialize-IExecProject keeps it (issue 15) and writes iexec.json only.
        Copy-TestDevNetChain $devnet $project
        $devnetChain = Get-Content -Raw ./chain.json
        # README: Initialize-IExecProject -TeeFramework scone
        $init = Initialize-IExecProject -TeeFramework scone
        Test-Path ./iexec.json | Should -BeTrue
        $init.ChainConfigKept | Should -BeTrue
        Get-Content -Raw ./chain.json | Should -BeExactly $devnetChain
        # README: Deploy-IExecApp
        $deployed = Deploy-IExecApp
        $deployed.Address | Should -Match '^0x[0-9a-fA-F]{40}$'
        $deployed.Owner | Should -Be $requester.address
        # README: Get-IExecApp
        (Get-IExecApp).Address | Should -Be $deployed.Address
    }
}

Describe 'README: Push and check secrets, run the app, save the result' {
    BeforeAll {
        Connect-Requester
        Register-TestVault -Name MyVault -Secret @{ x1 = '7'; x2 = '8'; 'poly-coefficients' = '1;2;3;4'; 'dataset-key' = 'a dataset key' }
        # An app the devnet worker runs (a file:// app, as in examples/tutorial.ps1), deployed by this wallet.
        $appFile = Join-Path $repo 'enclave/js/app.js'
        $digest = [System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($appFile))
        $script:app = Deploy-IExecApp -Name "readme-$([guid]::NewGuid().ToString('n').Substring(0, 8))" `
            -Multiaddr ([System.Uri]::new($appFile).AbsoluteUri) -Checksum ('0x' + [System.Convert]::ToHexString($digest).ToLowerInvariant()) `
            -MrEnclave ([ordered]@{ framework = 'SCONE'; version = 'v5.9'; entrypoint = 'node /app/app.js'; heapSize = 1073741824
                fingerprint = [System.Convert]::ToHexString($digest).ToLowerInvariant() })
        # deployed.json in the current folder makes this app the default of Test-IExecAppSecret.
        Test-Path (Join-Path $work 'deployed.json') | Should -BeTrue
    }

    It 'pushes a requester secret from the vault, then a piped batch skipping the existing one, and checks it' {
        # README: Push-IExecRequesterSecret -Name x1 -Vault MyVault
        $pushed = Push-IExecRequesterSecret -Name x1 -Vault MyVault
        $pushed.IsPushed | Should -BeTrue
        # README: Get-SecretInfo -Vault MyVault -Name x* | Push-IExecRequesterSecret -SkipExisting
        $batch = @(Get-SecretInfo -Vault MyVault -Name x* | Push-IExecRequesterSecret -SkipExisting)
        $batch.Count | Should -Be 2
        ($batch | Where-Object Name -EQ x1).Skipped | Should -BeTrue
        ($batch | Where-Object Name -EQ x2).IsPushed | Should -BeTrue
        # Issue 15: results filter by the name the table shows.
        @($batch | Where-Object Result -EQ 'Pushed').Name | Should -Be @('x2')
        @($batch | Where-Object Result -EQ 'Skipped').Name | Should -Be @('x1')
        # README: Test-IExecRequesterSecret -Name x1 -Requester 0x…
        (Test-IExecRequesterSecret -Name x1 -Requester $requester.address).IsSet | Should -BeTrue
    }

    It 'pushes a whole vault holding the wallet key with -MarkedOnly: only the secrets marked requester' {
        # The wallet's key in the same vault as the secrets, as the README allows; x2 and the others stay unmarked.
        foreach ($entry in @{ 'iexec-wallet' = $requester.privateKey; x5 = '5'; x6 = '6' }.GetEnumerator()) { Set-Secret -Name $entry.Key -Secret $entry.Value -Vault MyVault }
        # README: Set-SecretInfo -Name x1 -Vault MyVault -Metadata @{ 'iexec.kind' = 'requester' }
        Set-SecretInfo -Name x1 -Vault MyVault -Metadata @{ 'iexec.kind' = 'requester' }
        Set-SecretInfo -Name x5 -Vault MyVault -Metadata @{ 'iexec.kind' = 'requester' }
        # README: Get-SecretInfo -Vault MyVault | Push-IExecRequesterSecret -MarkedOnly -SkipExisting
        $all = @(Get-SecretInfo -Vault MyVault | Push-IExecRequesterSecret -MarkedOnly -SkipExisting -ErrorVariable failed)
        $failed | Should -BeNullOrEmpty
        ($all | Where-Object Name -EQ x1).Skipped | Should -BeTrue
        ($all | Where-Object Name -EQ x5).IsPushed | Should -BeTrue
        @($all.Name) | Should -Not -Contain 'iexec-wallet'
        (Test-IExecRequesterSecret -Name iexec-wallet).IsSet | Should -BeFalse
        (Test-IExecRequesterSecret -Name x6).IsSet | Should -BeFalse
        # Unmarked, the key is still refused by value: it is the connected wallet's.
        Get-SecretInfo -Vault MyVault -Name iexec-wallet | Push-IExecRequesterSecret -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'WalletKeyPushRefused,*'
        (Test-IExecRequesterSecret -Name iexec-wallet).IsSet | Should -BeFalse
        Remove-Secret -Name iexec-wallet -Vault MyVault
    }

    It 'pushes the app developer secret from the vault and checks it for the app of deployed.json' {
        # README: Push-IExecAppSecret -App $app.Address -Vault MyVault -VaultSecretName poly-coefficients
        (Push-IExecAppSecret -App $app.Address -Vault MyVault -VaultSecretName poly-coefficients).IsPushed | Should -BeTrue
        # README: Test-IExecAppSecret
        $status = Test-IExecAppSecret
        $status.IsSet | Should -BeTrue
        $status.App | Should -Be $app.Address
    }

    It 'pushes and updates a web2 secret given as a public PEM' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        Set-Content -Path ./result-key.pub.pem -Value $rsa.ExportSubjectPublicKeyInfoPem()
        # README: $pem = Get-Content ./result-key.pub.pem -Raw | ConvertTo-SecureString -AsPlainText -Force
        $pem = Get-Content ./result-key.pub.pem -Raw | ConvertTo-SecureString -AsPlainText -Force
        # README: Push-IExecWeb2Secret -Name iexec-result-encryption-public-key -Value $pem -Force
        (Push-IExecWeb2Secret -Name iexec-result-encryption-public-key -Value $pem -Force).IsPushed | Should -BeTrue
        $again = Push-IExecWeb2Secret -Name iexec-result-encryption-public-key -Value $pem -Force
        $again.Updated | Should -BeTrue
        (Test-IExecWeb2Secret -Name iexec-result-encryption-public-key).IsSet | Should -BeTrue
    }

    It 'pushes a dataset key from the vault for a dataset this wallet owns' {
        $dataset = New-TestDevNetDataset -DevNet $devnet -PrivateKey $requester.privateKey
        # README: Push-IExecDatasetSecret -Dataset 0x… -Vault MyVault -VaultSecretName dataset-key
        (Push-IExecDatasetSecret -Dataset $dataset -Vault MyVault -VaultSecretName dataset-key).IsPushed | Should -BeTrue
        (Test-IExecDatasetSecret -Dataset $dataset).IsSet | Should -BeTrue
    }

    It 'runs the app with requester secret 1 = x1, watches it and saves and expands the result' {
        $workerpool = $devnet.Info.workerpool
        # README: $deal = Invoke-IExecApp -App $app.Address -Tag tee,scone -Workerpool prod-v8-bellecour.main.pools.iexec.eth -Secret @{ 1 = 'x1' } -Watch
        $deal = Invoke-IExecApp -App $app.Address -Tag tee,scone -Workerpool $workerpool -Secret @{ 1 = 'x1' } -Watch
        $deal.Succeeded | Should -BeTrue
        # README: $deal | Save-IExecTaskResult -Path ./results -Expand
        $saved = $deal | Save-IExecTaskResult -Path ./results -Expand
        $taskId = $deal.TaskIds[0]
        Test-Path "./results/$taskId.zip" | Should -BeTrue
        $saved.ExpandedPath | Should -Be (Join-Path $work "results/$taskId")
        $result = Get-Content (Join-Path $saved.ExpandedPath 'result.txt') -Raw | ConvertFrom-Json
        $result.x | Should -Be 7
        $result.result | Should -Be (1 * 343 + 2 * 49 + 3 * 7 + 4)
        $script:deal = $deal
    }

    It 'pushes the missing mapped secret from the vault before running, and shows the orders under -WhatIf' {
        Register-TestVault -Name MyVault -Secret @{ x3 = '3' }
        # README: Invoke-IExecApp -App 0x… -Tag tee,scone -Secret @{ 1 = 'x1' } -Vault MyVault
        $run = Invoke-IExecApp -App $app.Address -Tag tee,scone -Secret @{ 1 = 'x3' } -Vault MyVault
        $run.DealId | Should -Match '^0x[0-9a-f]{64}$'
        $script:secondDeal = $run.DealId
        (Test-IExecRequesterSecret -Name x3).IsSet | Should -BeTrue
        # README: Invoke-IExecApp -App 0x… -Tag tee,scone -Secret @{ 1 = 'x1' } -WhatIf
        $shown = Get-HostText { Invoke-IExecApp -App $app.Address -Tag tee,scone -Secret @{ 1 = 'x1' } -WhatIf }
        # -WhatIf spends nothing: no deal object comes back; the host shows the orders that would be signed.
        @($shown.Output | Where-Object { $_ -is [IExecSecrets.Output.IExecDeal] }) | Should -BeNullOrEmpty
        $shown.Text | Should -Match ([regex]::Escape('What if: Performing the operation "Sign the orders and run the app (matchOrders)" on target "app ' + $app.Address + ' ('))
        $shown.Text | Should -Match ([regex]::Escape('workerpool ' + $devnet.Info.workerpool + ' ('))
    }

    It 'reads the deal, its tasks, and waits for them' {
        # README: Get-IExecDeal 0x…, 0x… ; Get-IExecDeal -Requester 0x… ; Get-IExecTask 0x… ; Wait-IExecTask -DealId 0x… -TimeoutSec 600
        $read = Get-IExecDeal $deal.DealId, $secondDeal ; $mine = Get-IExecDeal -Requester $requester.address ; $task = Get-IExecTask $deal.TaskIds[0] ; $waited = Wait-IExecTask -DealId $deal.DealId -TimeoutSec 600
        @($read).Count | Should -Be 2
        $read[0].App | Should -Be $app.Address
        # Issue 15: read back, the deal has what the chain holds: its requester secrets, cost and (found by requester) match transaction.
        $read[0].RequesterSecrets[1] | Should -Be 'x1'
        $read[1].RequesterSecrets[1] | Should -Be 'x3'
        $read[0].Cost | Should -Be $deal.Cost
        ($mine | Where-Object DealId -EQ $deal.DealId).TxHash | Should -Be $deal.TxHash
        @($mine.DealId) | Should -Contain $deal.DealId
        @($mine.DealId) | Should -Contain $secondDeal
        $task.DealId | Should -Be $deal.DealId
        @($waited).Count | Should -Be 1
        $waited.IsFinal | Should -BeTrue
    }

    It 'filters tasks by status name and shows deal and task ids whole at 80 columns' {
        # Issue 15 acceptance, as an admin types it.
        (Get-IExecTask $deal.TaskIds[0]).Status -eq 'COMPLETED' | Should -BeTrue
        @(Get-IExecTask $deal.TaskIds | Where-Object Status -EQ COMPLETED).TaskId | Should -Be @($deal.TaskIds[0])
        $taskText = Get-IExecTask $deal.TaskIds[0] | Out-String -Width 80
        $taskText | Should -Match ('(?m)^COMPLETED\s+' + [regex]::Escape($deal.TaskIds[0]) + '\s*$')
        $dealText = Get-IExecDeal $deal.DealId | Out-String -Width 80
        $dealText | Should -Match ('(?m)\s' + [regex]::Escape($deal.DealId) + '\s*$')
        foreach ($token in [regex]::Matches($taskText + $dealText, '0x[0-9a-fA-F]+')) { $token.Value.Length | Should -Be 66 }
    }

    It 'runs a runbook from an empty folder through a saved chain file' {
        $chainFile = Join-Path $work 'chain.json'
        $empty = New-TestDirectory -Prefix 'iexec-runbook'
        Push-Location $empty
        try {
            # Without the chain file, devnet is unknown here.
            { Get-IExecDeal $deal.DealId -Chain devnet -ErrorAction Stop } | Should -Throw -ErrorId 'ChainNotFound,*'
            # README: Set-IExecConfiguration -ChainConfigPath /etc/iexec/chain.json -Chain devnet
            Set-IExecConfiguration -ChainConfigPath $chainFile -Chain devnet -Scope Process
            (Get-IExecDeal $deal.DealId).DealId | Should -Be $deal.DealId
            (Test-IExecRequesterSecret -Name x1).IsSet | Should -BeTrue
            # CI: the same through the environment variable, in a fresh pwsh started in the empty folder.
            $ci = Invoke-TestPwsh -WorkingDirectory $empty -HomeDirectory (New-TestHome) -Environment @{ IEXECSECRETS_CHAIN_CONFIG_PATH = $chainFile } `
                -ArgumentList (Get-TestManifestPath), $deal.DealId -Script 'Import-Module $args[0]; (Get-IExecDeal $args[1] -Chain devnet).DealId'
            $ci.Error | Should -BeNullOrEmpty
            $ci.Output | Should -Contain $deal.DealId
        }
        finally {
            Clear-IExecConfiguration -Name Chain, ChainConfigPath -Scope Process
            Pop-Location
            Remove-TestDirectory $empty
        }
    }

    It 'lists workerpool and app orders and publishes an app order' {
        # README: Get-IExecWorkerpoolOrder -MinTag tee,scone ; Get-IExecAppOrder -App 0x… ; Publish-IExecAppOrder -App 0x…
        $pools = @(Get-IExecWorkerpoolOrder -MinTag tee,scone) ; $before = @(Get-IExecAppOrder -App $app.Address) ; $published = Publish-IExecAppOrder -App $app.Address
        $pools.Count | Should -BeGreaterThan 0
        $published.OrderHash | Should -Match '^0x[0-9a-f]{64}$'
        @(Get-IExecAppOrder -App $app.Address).OrderHash | Should -Contain $published.OrderHash
        @(Get-IExecAppOrder -App $app.Address).Count | Should -Be ($before.Count + 1)
        # README: Publish-IExecAppOrder -App 0x… -Volume 10 | Revoke-IExecOrder -Confirm:$false
        $revoked = Publish-IExecAppOrder -App $app.Address -Volume 10 | Revoke-IExecOrder -Confirm:$false
        $revoked.Status | Should -Be 'Cancelled'
        $revoked.TxHash | Should -Match '^0x[0-9a-f]{64}$'
    }
    It 'runs under maximum prices' {
        # README: Invoke-IExecApp -App 0x… -Tag tee,scone -AppMaxPrice 1000000 -WorkerpoolMaxPrice 100000000
        $priced = Invoke-IExecApp -App $app.Address -Tag tee,scone -AppMaxPrice 1000000 -WorkerpoolMaxPrice 100000000
        $priced.DealId | Should -Match '^0x[0-9a-f]{64}$'
    }

    It 'runs with a one-shot secret read from the host, then one deal per CSV row, every result saved' {
        Mock Read-Host { New-TestSecureString '5' } -ParameterFilter { $AsSecureString }
        # README: $deal = Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{ 1 = (Read-Host -AsSecureString x) } -Watch
        $oneShot = Invoke-IExecApp -App $app.Address -Tag tee,scone -SecretValue @{ 1 = (Read-Host -AsSecureString x) } -Watch
        $oneShot.Succeeded | Should -BeTrue
        # README: $deal.RequesterSecrets
        ($oneShot.RequesterSecrets | Out-String) | Should -Match 'oneshot-'
        Set-Content -Path ./inputs.csv -Value "x`n3`n4"
        # README: Import-Csv inputs.csv | Invoke-IExecApp -App $app -Tag tee,scone -Force -Watch -ThrottleLimit 8 -SecretValue { @{ 1 = (ConvertTo-SecureString $_.x -AsPlainText -Force) } } | Save-IExecTaskResult -Path ./results -Expand
        $saved = @(Import-Csv inputs.csv | Invoke-IExecApp -App $app.Address -Tag tee,scone -Force -Watch -ThrottleLimit 8 `
            -SecretValue { @{ 1 = (ConvertTo-SecureString $_.x -AsPlainText -Force) } } | Save-IExecTaskResult -Path ./results -Expand)
        $saved.Count | Should -Be 2
        $results = $saved | ForEach-Object { (Get-Content (Join-Path $_.ExpandedPath 'result.txt') -Raw | ConvertFrom-Json).result } | Sort-Object
        $results | Should -Be @(58, 112)
    }

    It 'reads what the app printed from the workerpool' {
        $dealId = $deal.DealId
        # README: Get-IExecDeal $dealId | Get-IExecTaskLog | Select-Object TaskId, StandardOutput, StandardError
        $logs = @(Get-IExecDeal $dealId | Get-IExecTaskLog | Select-Object TaskId, StandardOutput, StandardError)
        $logs.Count | Should -Be 1
        $logs[0].TaskId | Should -Be $deal.TaskIds[0]
        # What enclave/js/app.js prints on success, read back through the workerpool API (the result path is the
        # worker's own); the requester secret's value (x1 = 7) and the app secret never appear.
        $logs[0].StandardOutput | Should -Match 'f\(x\) written to \S*result\.txt'
        $logs[0].StandardError | Should -Not -Match 'error:'
        "$($logs[0].StandardOutput)$($logs[0].StandardError)" | Should -Not -Match '1;2;3;4'
    }

    It 'saves defaults, shows them and clears one' {
        Register-TestVault -Name RunbookVault
        # README: Set-IExecConfiguration -Chain devnet -Workerpool 0x… -Vault RunbookVault
        Set-IExecConfiguration -Chain devnet -Workerpool $devnet.Info.workerpool -Vault RunbookVault
        try {
            # README: Get-IExecConfiguration ; Get-IExecChain -Default ; Clear-IExecConfiguration -Name Vault
            $config = Get-IExecConfiguration ; $chain = Get-IExecChain -Default ; Clear-IExecConfiguration -Name Vault
            ($config | Out-String) | Should -Match 'RunbookVault'
            @($chain)[0].Name | Should -Be 'devnet'
            (Get-IExecConfiguration | Out-String) | Should -Not -Match 'RunbookVault'
            # Without -Scope, Clear leaves no vault in effect, a Process one included (issue 15).
            Set-IExecConfiguration -Vault RunbookVault -Scope Process
            Clear-IExecConfiguration -Name Vault
            (Get-IExecConfiguration Vault).Scope | Should -Be 'NotSet'
        }
        finally {
            Clear-IExecConfiguration -Name Chain -ErrorAction SilentlyContinue
            Clear-IExecConfiguration -Name Workerpool -ErrorAction SilentlyContinue
        }
    }
}

Describe 'README: Encrypted results and encrypted datasets' {
    BeforeAll {
        Connect-Requester
        Register-TestVault -Name MyVault -Secret @{ x1 = '7' }
        # An app the devnet worker runs (enclave/js/app.js reads a dataset when one is given), its coefficients 1;2;3;4.
        $appFile = Join-Path $repo 'enclave/js/app.js'
        $digest = [System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($appFile))
        $script:app = Deploy-IExecApp -Name "readme-enc-$([guid]::NewGuid().ToString('n').Substring(0, 8))" `
            -Multiaddr ([System.Uri]::new($appFile).AbsoluteUri) -Checksum ('0x' + [System.Convert]::ToHexString($digest).ToLowerInvariant()) `
            -MrEnclave ([ordered]@{ framework = 'SCONE'; version = 'v5.9'; entrypoint = 'node /app/app.js'; heapSize = 1073741824
                fingerprint = [System.Convert]::ToHexString($digest).ToLowerInvariant() })
        Push-IExecAppSecret -App $app.Address -Value (New-TestSecureString '1;2;3;4') | Out-Null
        if (-not (Test-IExecRequesterSecret -Name x1).IsSet) { Push-IExecRequesterSecret -Name x1 -Vault MyVault | Out-Null }
    }
    AfterAll {
        if ($script:datasetServer -and -not $datasetServer.HasExited) { $datasetServer.Kill() }
    }

    It 'makes a result key pair in the vault, runs with -EncryptResult and decrypts the saved result with the vault key' {
        # README: New-IExecResultEncryptionKey -Vault MyVault -VaultSecretName result-key -Push -Force
        $key = New-IExecResultEncryptionKey -Vault MyVault -VaultSecretName result-key -Push -Force
        $key.IsPushed | Should -BeTrue
        (Get-Secret -Vault MyVault -Name result-key -AsPlainText) | Should -Match '^-----BEGIN PRIVATE KEY-----'
        # README: $deal = Invoke-IExecApp -App $app.Address -Tag tee,scone -Secret @{ 1 = 'x1' } -EncryptResult -Watch
        $deal = Invoke-IExecApp -App $app.Address -Tag tee,scone -Secret @{ 1 = 'x1' } -EncryptResult -Watch
        $deal.Succeeded | Should -BeTrue
        # README: $deal | Save-IExecTaskResult -Path ./results -Decrypt -Vault MyVault -VaultSecretName result-key -Expand
        $saved = $deal | Save-IExecTaskResult -Path ./results -Decrypt -Vault MyVault -VaultSecretName result-key -Expand
        $saved.IsEncrypted | Should -BeTrue
        $saved.Decrypted | Should -BeTrue
        Get-Content -Raw (Join-Path $saved.ExpandedPath 'result.txt') | Should -BeExactly '{"x":7,"result":466}'
    }

    It 'encrypts a dataset into the vault, deploys it, pushes its key, publishes its order and runs the app on it' {
        New-Item -ItemType Directory -Force ./datasets/original | Out-Null
        Set-Content -NoNewline -Path ./datasets/original/coefficients.json -Value '{"coefficients":"2;0;0;1","x":"3"}'
        # README: $encrypted = Protect-IExecDataset ./datasets/original/coefficients.json -Vault MyVault -VaultSecretName coefficients-key
        $encrypted = Protect-IExecDataset ./datasets/original/coefficients.json -Vault MyVault -VaultSecretName coefficients-key
        $encrypted.Path | Should -Be (Join-Path $work 'datasets/encrypted/coefficients.json.enc')
        # The .enc file served over loopback http (https://example.com in the README), as the user's own server would.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $script:datasetServer = Start-Process -FilePath python3 -PassThru -ArgumentList @('-m', 'http.server', $port, '--bind', '127.0.0.1', '--directory', (Split-Path $encrypted.Path)) `
            -RedirectStandardOutput (Join-Path $work 'readme-http.out') -RedirectStandardError (Join-Path $work 'readme-http.err')
        $url = "http://127.0.0.1:$port/coefficients.json.enc"
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while ($true) {
            try { Invoke-WebRequest -Uri $url -Method Head | Out-Null; break }
            catch { if ([datetime]::UtcNow -gt $deadline) { throw "the dataset server did not start: $_" }; Start-Sleep -Milliseconds 200 }
        }
        # README: $dataset = $encrypted | Deploy-IExecDataset -Name coefficients -Multiaddr https://example.com/coefficients.json.enc
        $dataset = $encrypted | Deploy-IExecDataset -Name coefficients -Multiaddr $url
        $dataset.Checksum | Should -Be $encrypted.Checksum
        # README: Push-IExecDatasetSecret -Dataset $dataset.Address -Vault MyVault -VaultSecretName coefficients-key
        (Push-IExecDatasetSecret -Dataset $dataset.Address -Vault MyVault -VaultSecretName coefficients-key).IsPushed | Should -BeTrue
        # README: $dataset | Publish-IExecDatasetOrder -Tag tee,scone -AppRestrict $app.Address -Volume 10
        $order = $dataset | Publish-IExecDatasetOrder -Tag tee,scone -AppRestrict $app.Address -Volume 10
        $order.AppRestrict | Should -Be $app.Address
        # README: Invoke-IExecApp -App $app.Address -Dataset $dataset.Address -Tag tee,scone -Watch | Save-IExecTaskResult -Path ./results -Expand
        $saved = Invoke-IExecApp -App $app.Address -Dataset $dataset.Address -Tag tee,scone -Watch | Save-IExecTaskResult -Path ./results -Expand
        # f(x) = 2x^3 + 1 with the dataset's coefficients and x, not the app's 1;2;3;4.
        Get-Content -Raw (Join-Path $saved.ExpandedPath 'result.txt') | Should -BeExactly '{"x":3,"result":55}'
    }
}

Describe 'README: Build the enclave image' {
    BeforeAll {
        $script:enclaveWork = New-TestDirectory -Prefix 'iexec-readme-enclave'
        Copy-Item -Recurse (Join-Path $repo 'enclave') (Join-Path $enclaveWork 'enclave')
        Push-Location $enclaveWork
        Register-TestVault -Name MyVault -Secret @{ x1 = '2' }
        # The README builds in the project of its "Deploy an app" section: -UpdateProject records the image in iexec.json.
        Initialize-IExecProject -TeeFramework scone | Out-Null
    }
    AfterAll { Pop-Location; Remove-TestDirectory $enclaveWork }

    It 'plans the sconified build under -WhatIf (the real build is covered by the Enclave xunit tests)' {
        $rsa = [System.Security.Cryptography.RSA]::Create(3072)
        Set-Content -Path ./enclave-key.pem -Value $rsa.ExportRSAPrivateKeyPem()
        # README: Build-IExecTeeImage -Path ./enclave/js -ImageTag me/secret-function:1.0.0-debug -SignerKeyPath ./enclave-key.pem -UpdateProject
        $before = Get-Content -Raw ./iexec.json
        $shown = Get-HostText { Build-IExecTeeImage -Path ./enclave/js -ImageTag me/secret-function:1.0.0-debug -SignerKeyPath ./enclave-key.pem -UpdateProject -WhatIf }
        # The plan: build, sconify with the pinned image, read the mrenclave, update iexec.json; nothing done.
        $plan = ($shown.Text -split "`r?`n" | Where-Object { $_ -like 'What if:*Build TEE image*' }) -join ' '
        $plan | Should -Match 'docker build \S*enclave[\\/]js -> me/secret-function:1\.0\.0-debug'
        $plan | Should -Match 'docker run registry\.scontain\.com/\S*iexec-sconify-image\S* '
        $plan | Should -Match 'docker run --rm -e SCONE_HASH=1 '
        $plan | Should -Match 'update app\.multiaddr, app\.checksum, app\.mrenclave in \S*iexec\.json'
        Get-Content -Raw ./iexec.json | Should -Be $before
    }

    It 'runs the app file locally with the app secret read from the host and x1 from the vault' {
        Mock Read-Host { New-TestSecureString '1;0;0;5' } -ParameterFilter { $AsSecureString }
        # README: Invoke-IExecEnclaveApp -Path ./enclave/js/app.js -AppSecret (Read-Host -AsSecureString) -Secret @{ 1 = 'x1' } -Vault MyVault -OutputPath ./iexec_out
        $run = Invoke-IExecEnclaveApp -Path ./enclave/js/app.js -AppSecret (Read-Host -AsSecureString) -Secret @{ 1 = 'x1' } -Vault MyVault -OutputPath ./iexec_out
        $run.Succeeded | Should -BeTrue -Because $run.StandardError
        $result = Get-Content ./iexec_out/result.txt -Raw | ConvertFrom-Json
        $result.x | Should -Be 2
        $result.result | Should -Be 13
    }
}
