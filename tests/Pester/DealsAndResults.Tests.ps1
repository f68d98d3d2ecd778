# Deals are never lost and results land where PowerShell users expect (issue 8, item 6), against the devnet: a deal
# piped from Invoke-IExecApp -Watch into Save-IExecTaskResult -Path <folder> -Expand, Ctrl+C during -Watch and the
# deal found again with Get-IExecDeal, several deal ids at once, Wait-IExecTask -TimeoutSec on a task that never
# ends, and a result path the file system refuses.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:devnet, $script:work = Enter-TestDevNetWork
    $script:requester = @($devnet.Accounts | Where-Object role -EQ requester)[2]
    $script:other = @($devnet.Accounts | Where-Object role -EQ requester)[3]
    $script:requesterKey = New-TestSecureString $requester.privateKey
    Connect-IExecWallet -PrivateKey $requesterKey | Out-Null

    # The requester's own app (its own app order is signed on the fly): the devnet worker runs enclave/js/app.js.
    $name = 'deals-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $mrEnclave = '{"framework":"SCONE","version":"v5","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}'
    $multiaddr = 'file://' + (Join-Path (Get-TestRepoRoot) 'enclave/js/app.js')
    $checksum = '0x' + ([guid]::NewGuid().ToString('n') * 2)
    $script:app = (Deploy-IExecApp -Name $name -Multiaddr $multiaddr -Checksum $checksum -MrEnclave $mrEnclave -Confirm:$false).Address
}

AfterAll {
    Disconnect-IExecWallet
    Exit-TestDevNetWork $devnet $work
}

Describe 'Invoke-IExecApp -Watch | Save-IExecTaskResult' {
    It 'binds the deal and saves folder/taskid.zip, expanded into folder/taskid' {
        $saved = Invoke-IExecApp -App $app -Tag tee,scone -Watch -PollIntervalSeconds 0.2 -Force | Save-IExecTaskResult -Path ./out -Expand
        $saved | Should -HaveCount 1
        $saved.Path | Should -Be (Join-Path $work "out/$($saved.TaskId).zip")
        Test-Path $saved.Path -PathType Leaf | Should -BeTrue
        $saved.ExpandedPath | Should -Be (Join-Path $work "out/$($saved.TaskId)")
        @(Get-ChildItem $saved.ExpandedPath).Count | Should -BeGreaterThan 0
        $script:completedTask = $saved.TaskId
    }

    It 'a .zip path is the archive itself, expanded next to it' {
        $saved = Save-IExecTaskResult -TaskId $completedTask -Path ./one/result.zip -Expand
        $saved.Path | Should -Be (Join-Path $work 'one/result.zip')
        $saved.ExpandedPath | Should -Be (Join-Path $work 'one/result')
        Test-Path $saved.ExpandedPath -PathType Container | Should -BeTrue
    }

    It 'a folder path taken by a file fails ResultWriteFailed, not a raw IOException' {
        Set-Content -Path ./taken -Value 'a file'
        Save-IExecTaskResult -TaskId $completedTask -Path ./taken -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'ResultWriteFailed,IExecSecrets.Commands.SaveIExecTaskResultCommand'
        $failed[0].TargetObject | Should -Be (Join-Path $work 'taken')
        Get-Content ./taken | Should -Be 'a file'
    }
}

Describe 'A deal is never lost' {
    It 'Ctrl+C during -Watch: the deal is listed by Get-IExecDeal for the requester (default: the connected wallet)' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $powershell = [powershell]::Create()
        $powershell.Runspace = $runspace
        try {
            $null = $powershell.AddScript('param($manifest, $key, $work, $app) Import-Module $manifest; Set-Location $work; Connect-IExecWallet -PrivateKey $key | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -Watch -PollIntervalSeconds 60 -Force').
                AddArgument((Get-TestManifestPath)).AddArgument($requesterKey).AddArgument($work).AddArgument($app)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $handle = $powershell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            $dealId = $null
            while (-not $dealId -and [DateTime]::UtcNow -lt $deadline -and -not $handle.IsCompleted) {
                foreach ($record in @($powershell.Streams.Information)) {
                    if ("$($record.MessageData)" -match '^Deal (0x[0-9a-f]{64}) matched') { $dealId = $Matches[1] }
                }
                Start-Sleep -Milliseconds 100
            }
            $dealId | Should -Not -BeNullOrEmpty
            $powershell.Stop()
            $powershell.InvocationStateInfo.State | Should -Be 'Stopped'
            # Nothing reached the output: without Get-IExecDeal the deal would be lost.
            $output.Count | Should -Be 0
        }
        finally { $powershell.Dispose(); $runspace.Dispose() }

        (Get-IExecDeal).DealId | Should -Contain $dealId
        (Get-IExecDeal -Requester $requester.address -FromBlock 0).DealId | Should -Contain $dealId
        (Get-IExecDeal -Requester $other.address) | Where-Object DealId -EQ $dealId | Should -BeNullOrEmpty
        $script:stoppedDeal = $dealId
    }

    It 'Get-IExecDeal reads several ids at once, piped or as an array' {
        $ids = @(Get-IExecDeal | Select-Object -ExpandProperty DealId)
        $ids.Count | Should -BeGreaterOrEqual 2
        (Get-IExecDeal -DealId $ids).DealId | Should -Be $ids
        ($ids | Get-IExecDeal).DealId | Should -Be $ids
    }
}

Describe 'Wait-IExecTask -TimeoutSec' {
    It 'a task that does not end in time: its last state, then WaitTimeout' {
        $unknown = '0x' + ('cd' * 32)
        $tasks = Wait-IExecTask -TaskId $unknown -TimeoutSec 5 -PollIntervalSeconds 0.5 -ErrorVariable failed -ErrorAction SilentlyContinue
        $tasks | Should -HaveCount 1
        $tasks.IsFinal | Should -BeFalse
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'WaitTimeout,IExecSecrets.Commands.WaitIExecTaskCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }
}
