# Encrypted results and encrypted datasets as a user meets them in real pwsh, on the devnet (issue 16, items 1-7): a
# key pair whose private key lives only in the vault, a run with -EncryptResult whose saved archive holds no clear
# result and opens with -Decrypt, a dataset file encrypted with Protect-IExecDataset (key in the vault), served over
# loopback http, deployed, its key pushed, its order published and run by another requester; the refusals that come
# before anything is written, and canaries that prove no key or clear dataset reaches a stream or a file outside the
# folders the test named.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:devnet, $script:work = Enter-TestDevNetWork
    Register-TestVault -Name Vault
    $script:requesters = @($devnet.Accounts | Where-Object role -EQ requester)
    $script:requester = $requesters[2]
    $script:other = $requesters[3]
    $script:requesterKey = New-TestSecureString $requester.privateKey
    $script:otherKey = New-TestSecureString $other.privateKey

    # The developer's app (the devnet worker runs enclave/js/app.js) with coefficients 1;2;3;4, and its open order.
    Connect-IExecWallet -PrivateKey $devnet.SecurePrivateKey('developer') | Out-Null
    $mrEnclave = '{"framework":"SCONE","version":"v5","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}'
    $multiaddr = 'file://' + (Join-Path (Get-TestRepoRoot) 'enclave/js/app.js')
    $script:app = (Deploy-IExecApp -Name "secrets-$([guid]::NewGuid().ToString('n').Substring(0, 8))" -Multiaddr $multiaddr -Checksum ('0x' + 'cd' * 32) -MrEnclave $mrEnclave -Confirm:$false).Address
    Push-IExecAppSecret -App $app -Value (New-TestSecureString '1;2;3;4') -Confirm:$false | Out-Null
    Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 20 -Confirm:$false | Out-Null

    # Every file under $Root (with -Since, written since then) whose bytes hold $Text, in every folder at any depth,
    # dot-files and all (a folder's own time does not change when a file deeper down is written, so no folder is
    # skipped by its time). Bytes are compared as Latin-1 text, one char per byte, so any file content can be searched.
    # GNU find lists the files (the devnet suites run on Linux only): HOME holds gigabytes of packages and the shared
    # temp folder hundreds of thousands of files, and reading or even listing them from PowerShell took hours (the
    # hang of earlier runs). Docker engines' data folders (eng/docker.sh's IEXEC_DOCKER_DIR, docker-*) are left out:
    # the module never writes there, and their layers are large.
    function Find-Text([string] $Root, [string] $Text, [datetime] $Since = [datetime]::MinValue) {
        $needle = [Text.Encoding]::Latin1.GetString([Text.Encoding]::UTF8.GetBytes($Text))
        $find = @($Root, '-type', 'd', '-name', 'docker-*', '-prune', '-o', '-type', 'f', '-size', '-64M')
        if ($Since -gt [datetime]::MinValue) {
            # find compares whole seconds: one second earlier keeps a file written in the same second.
            $find += '-newermt', ('@' + ([DateTimeOffset]::new($Since.ToUniversalTime()).ToUnixTimeSeconds() - 1))
        }
        $files = & find @find -print 2>$null
        @($files).Where({ $_ }).Where({
            try { [Text.Encoding]::Latin1.GetString([IO.File]::ReadAllBytes($_)).Contains($needle, [StringComparison]::Ordinal) }
            catch { $false }
        })
    }
}

AfterAll {
    Disconnect-IExecWallet
    Exit-TestDevNetWork $devnet $work
}

Describe 'Encrypted results: New-IExecResultEncryptionKey, Invoke-IExecApp -EncryptResult, Save-IExecTaskResult -Decrypt' {
    BeforeAll {
        $script:since = [datetime]::UtcNow
        Connect-IExecWallet -PrivateKey $requesterKey | Out-Null
        $script:key = New-IExecResultEncryptionKey -Vault Vault -VaultSecretName result-key -Push -Confirm:$false -Verbose -InformationVariable keyInfo 4>&1
        $script:pem = Get-Secret -Vault Vault -Name result-key -AsPlainText
    }

    It 'stores the private key in the vault only, and pushes the public key as the beneficiary''s web2 secret' {
        $made = @($key | Where-Object { $_ -is [IExecSecrets.Output.IExecResultEncryptionKey] })
        $made | Should -HaveCount 1
        $made[0].IsPushed | Should -BeTrue
        $made[0].Owner | Should -Be $requester.address
        $made[0].VaultSecret | Should -Be 'Vault/result-key'
        $made[0].PublicKey | Should -Match '^-----BEGIN PUBLIC KEY-----\n'
        $pem | Should -Match '^-----BEGIN PRIVATE KEY-----\n'
        (Test-IExecWeb2Secret iexec-result-encryption-public-key).IsSet | Should -BeTrue
        # Canary: no line of the private key in any stream of the command or in any file of the project or HOME.
        $line = ($pem -split "`n")[3]
        ($key | Out-String) + ($keyInfo | Out-String) | Should -Not -Match ([regex]::Escape($line))
        Find-Text $work $line | Should -BeNullOrEmpty
        Find-Text $HOME $line $since | Should -BeNullOrEmpty
        Find-Text ([IO.Path]::GetTempPath()) $line $since | Where-Object { -not $_.StartsWith($work + [IO.Path]::DirectorySeparatorChar) } | Should -BeNullOrEmpty
    }

    It 'refuses to replace the pushed key without -Force, before anything is made or stored' {
        { New-IExecResultEncryptionKey -Vault Vault -VaultSecretName result-key-2 -Push -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecretAlreadyExists,IExecSecrets.Commands.NewIExecResultEncryptionKeyCommand'
        Get-SecretInfo -Vault Vault -Name result-key-2 | Should -BeNullOrEmpty
    }

    It 'refuses a vault secret name that is taken (VaultSecretExists), leaving it as it was' {
        { New-IExecResultEncryptionKey -Vault Vault -VaultSecretName result-key -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'VaultSecretExists,IExecSecrets.Commands.NewIExecResultEncryptionKeyCommand'
        Get-Secret -Vault Vault -Name result-key -AsPlainText | Should -BeExactly $pem
    }

    It 'runs with -EncryptResult: the saved archive holds no clear result and -Decrypt gives f(x)' {
        $deal = Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{ 1 = (New-TestSecureString '3') } -EncryptResult -Watch -PollIntervalSeconds 0.2 -Force
        $deal.Succeeded | Should -BeTrue
        $encrypted = $deal | Save-IExecTaskResult -Path ./encrypted -Expand -WarningVariable warned
        $encrypted.IsEncrypted | Should -BeTrue
        $encrypted.ExpandedPath | Should -BeNullOrEmpty
        @($warned) -join ' ' | Should -Match 'encrypted for its beneficiary'
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($encrypted.Path)
        try { @($zip.Entries.FullName | Sort-Object) | Should -Be @('aes-key.rsa', 'iexec_out.zip.aes') } finally { $zip.Dispose() }
        Find-Text $work '"result"' | Should -BeNullOrEmpty

        $plain = Save-IExecTaskResult $deal.TaskIds[0] -Path ./plain -Decrypt -Vault Vault -VaultSecretName result-key -Expand
        $plain.Decrypted | Should -BeTrue
        Get-Content -Raw (Join-Path $plain.ExpandedPath 'result.txt') | Should -BeExactly '{"x":3,"result":58}'
        $script:encryptedTask = $deal.TaskIds[0]
    }

    It 'a key that is not the beneficiary''s fails ResultDecryptionFailed and writes nothing' {
        New-IExecResultEncryptionKey -Vault Vault -VaultSecretName unrelated-key -Confirm:$false | Out-Null
        Save-IExecTaskResult $encryptedTask -Path ./wrong -Decrypt -Vault Vault -VaultSecretName unrelated-key -Expand -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'ResultDecryptionFailed,IExecSecrets.Commands.SaveIExecTaskResultCommand'
        $failed[0].TargetObject | Should -Be $encryptedTask
        @(Get-ChildItem -Force ./wrong -ErrorAction SilentlyContinue) | Should -HaveCount 0
    }

    It 'a decryption key that is no private key fails InvalidDecryptionKey before any download' {
        { Save-IExecTaskResult $encryptedTask -Path ./never -Decrypt -DecryptionKey (New-TestSecureString @($key | Where-Object { $_ -is [IExecSecrets.Output.IExecResultEncryptionKey] })[0].PublicKey) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDecryptionKey,IExecSecrets.Commands.SaveIExecTaskResultCommand'
        Test-Path ./never | Should -BeFalse
    }
}

Describe 'Protect-IExecDataset (no network)' {
    BeforeAll {
        $script:since = [datetime]::UtcNow
        $script:canary = "canary-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Force ./datasets/original | Out-Null
        Set-Content -NoNewline -Path ./datasets/original/coefficients.json -Value "{`"coefficients`":`"1;0;0;0`",`"x`":`"4`",`"note`":`"$canary`"}"
        Set-Content -NoNewline -Path ./datasets/original/second.txt -Value '0;0;0;7'
    }

    It 'writes the .enc file into ./datasets/encrypted, its checksum the SHA-256 of that file, its key only in the vault' {
        $protected = Protect-IExecDataset ./datasets/original/coefficients.json -Vault Vault -VaultSecretName coefficients-key -Confirm:$false
        $protected.Path | Should -Be (Join-Path $work 'datasets/encrypted/coefficients.json.enc')
        $protected.Checksum | Should -Be ('0x' + (Get-FileHash -Algorithm SHA256 $protected.Path).Hash.ToLowerInvariant())
        $secret = Get-Secret -Vault Vault -Name coefficients-key -AsPlainText
        [Convert]::FromBase64String($secret).Length | Should -Be 32
        Find-Text $work $secret | Should -BeNullOrEmpty
        Find-Text $HOME $secret $since | Should -BeNullOrEmpty
        @(Find-Text $work $canary) | Should -Be @((Join-Path $work 'datasets/original/coefficients.json'))
        Find-Text ([IO.Path]::GetTempPath()) $canary $since | Where-Object { -not $_.StartsWith($work + [IO.Path]::DirectorySeparatorChar) } | Should -BeNullOrEmpty
        $script:protected = $protected
    }

    It 'pipes files, each with its own key named by a script block' {
        $out = Get-ChildItem ./datasets/original/second.txt | Protect-IExecDataset -Vault Vault -VaultSecretName { "dataset-$($_.Name)" } -Destination ./other -Confirm:$false
        $out.VaultSecret | Should -Be 'Vault/dataset-second.txt'
        $out.Path | Should -Be (Join-Path $work 'other/second.txt.enc')
    }

    It 'refuses a taken output (DatasetWriteFailed) and a missing file (DatasetFileNotFound) before any key is made' {
        Protect-IExecDataset ./datasets/original/coefficients.json -Vault Vault -VaultSecretName again-key -Confirm:$false -ErrorVariable taken -ErrorAction SilentlyContinue
        $taken[0].FullyQualifiedErrorId | Should -Be 'DatasetWriteFailed,IExecSecrets.Commands.ProtectIExecDatasetCommand'
        Protect-IExecDataset ./nowhere.csv -Vault Vault -VaultSecretName nowhere-key -Confirm:$false -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -Be 'DatasetFileNotFound,IExecSecrets.Commands.ProtectIExecDatasetCommand'
        Get-SecretInfo -Vault Vault -Name again-key | Should -BeNullOrEmpty
        Get-SecretInfo -Vault Vault -Name nowhere-key | Should -BeNullOrEmpty
    }

    It '-WhatIf encrypts nothing and stores nothing' {
        Protect-IExecDataset ./datasets/original/second.txt -Vault Vault -VaultSecretName whatif-key -Destination ./whatif -WhatIf
        Test-Path ./whatif | Should -BeFalse
        Get-SecretInfo -Vault Vault -Name whatif-key | Should -BeNullOrEmpty
    }
}

Describe 'An encrypted dataset on the devnet: deployed, key pushed, order published, run by another requester' {
    BeforeAll {
        # The encrypted file served over loopback http, as a user's own web server would serve it.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $script:server = Start-Process -FilePath python3 -ArgumentList @('-m', 'http.server', $port, '--bind', '127.0.0.1', '--directory', (Join-Path $work 'datasets/encrypted')) -PassThru `
            -RedirectStandardOutput (Join-Path $work 'http.out') -RedirectStandardError (Join-Path $work 'http.err')
        $script:url = "http://127.0.0.1:$port/coefficients.json.enc"
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while ($true) {
            try { Invoke-WebRequest -Uri $url -Method Head | Out-Null; break }
            catch { if ([datetime]::UtcNow -gt $deadline) { throw "the dataset server did not start: $_" }; Start-Sleep -Milliseconds 200 }
        }
        Connect-IExecWallet -PrivateKey $devnet.SecurePrivateKey('developer') | Out-Null
    }

    AfterAll {
        if ($server -and -not $server.HasExited) { $server.Kill() }
    }

    It 'deploys the dataset from the piped Protect-IExecDataset output and records it in deployed.json' {
        $script:dataset = $protected | Deploy-IExecDataset -Name "coefficients-$([guid]::NewGuid().ToString('n').Substring(0, 8))" -Multiaddr $url -Confirm:$false
        $dataset.Checksum | Should -Be $protected.Checksum
        $dataset.Owner | Should -Be $devnet.Address('developer')
        (Get-IExecDataset).Address | Should -Be $dataset.Address
    }

    It 'pushes the key from the vault and publishes an order restricted to the app' {
        (Push-IExecDatasetSecret $dataset.Address -Vault Vault -VaultSecretName coefficients-key -Confirm:$false).IsPushed | Should -BeTrue
        $order = $dataset | Publish-IExecDatasetOrder -Tag tee,scone -AppRestrict $app -Volume 5 -Confirm:$false
        $order.AppRestrict | Should -Be $app
        (Get-IExecDatasetOrder -Dataset $dataset.Address -App $app).OrderHash | Should -Contain $order.OrderHash
    }

    It 'another requester runs the app on the dataset: the result uses the dataset''s coefficients and x' {
        Connect-IExecWallet -PrivateKey $otherKey | Out-Null
        $saved = Invoke-IExecApp -App $app -Dataset $dataset.Address -Tag tee,scone -Watch -PollIntervalSeconds 0.2 -Force | Save-IExecTaskResult -Path ./dataset-run -Expand
        Get-Content -Raw (Join-Path $saved.ExpandedPath 'result.txt') | Should -BeExactly '{"x":4,"result":64}'
        # The clear dataset is nowhere but its original file: not in the devnet's folders, not in the results.
        Find-Text $devnet.Root $canary | Should -BeNullOrEmpty
        @(Find-Text $work $canary) | Should -Be @((Join-Path $work 'datasets/original/coefficients.json'))
    }
}
