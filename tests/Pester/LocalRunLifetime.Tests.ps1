# A local app run dies with its session: a real pwsh runs Invoke-IExecEnclaveApp on an app that holds its secret in
# its environment and sleeps; the pwsh is ended by SIGTERM (as a service stop or `kill` ends it) or SIGKILL; the app
# must not outlive it, and its private HOME/TMPDIR must be gone (after SIGKILL, at the next run). Linux (/proc).

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    function Test-Running([int] $Id) {
        # a zombie (killed, not yet reaped) runs nothing
        $stat = "/proc/$Id/stat"
        if (-not (Test-Path $stat)) { return $false }
        $text = Get-Content -Raw $stat -ErrorAction SilentlyContinue
        if (-not $text) { return $false }
        $text.Substring($text.LastIndexOf(')') + 2, 1) -ne 'Z'
    }
    function Wait-Until([scriptblock] $Condition, [int] $Seconds) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { return $false }
            Start-Sleep -Milliseconds 100
        }
        $true
    }
}

BeforeDiscovery {
    # The python app of both signals: it records its pid and HOME, then sleeps.
    $pythonApp = @'
import os, time
out = os.environ["IEXEC_OUT"]
with open(os.path.join(out, "app.pid.tmp"), "w") as f:
    f.write("%d %s" % (os.getpid(), os.environ["HOME"]))
os.rename(os.path.join(out, "app.pid.tmp"), os.path.join(out, "app.pid"))
time.sleep(300)
'@
}

Describe 'Invoke-IExecEnclaveApp in a pwsh ended by <Signal>' -ForEach @(
    @{ Signal = 'SIGTERM'; Language = 'python'; File = 'app.py'; Source = $pythonApp }
    @{ Signal = 'SIGKILL'; Language = 'python'; File = 'app.py'; Source = $pythonApp }
    @{ Signal = 'SIGTERM'; Language = 'javascript'; File = 'app.js'; Source = @'
const fs = require("fs"), path = require("path"), out = process.env.IEXEC_OUT;
fs.writeFileSync(path.join(out, "app.pid.tmp"), process.pid + " " + process.env.HOME);
fs.renameSync(path.join(out, "app.pid.tmp"), path.join(out, "app.pid"));
setTimeout(() => {}, 300000);
'@ }
) {
    BeforeAll {
        $script:app = New-TestDirectory -Prefix 'lifetime-app'
        Set-Content -Path (Join-Path $app $File) -Value $Source -NoNewline
        $script:out = Join-Path (New-TestDirectory -Prefix 'lifetime-out') 'out'
        $command = Get-TestPwshCommand
        $info = [System.Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in @($command | Select-Object -Skip 1)) { $info.ArgumentList.Add($a) }
        $script = "Import-Module '$(Get-TestManifestPath)'; Invoke-IExecEnclaveApp -Path '$app' -OutputPath '$out' -AppSecret (ConvertTo-SecureString 'lifetime-canary' -AsPlainText -Force)"
        foreach ($a in @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $script:pwsh = [System.Diagnostics.Process]::Start($info)
        $script:stdout = $pwsh.StandardOutput.ReadToEndAsync()
        $script:stderr = $pwsh.StandardError.ReadToEndAsync()
        $pidFile = Join-Path $out 'app.pid'
        $script:started = Wait-Until { Test-Path $pidFile } 60
        if ($started) {
            $appId, $appHome = (Get-Content -Raw $pidFile) -split ' ', 2
            $script:appId = [int]$appId
            $script:appHome = $appHome
        }
        $script:runningBefore = $started -and (Test-Running $appId)
        & kill "-$($Signal.Substring(3))" $pwsh.Id
        $script:pwshExited = $pwsh.WaitForExit(30000)
        $script:appGone = $started -and (Wait-Until { -not (Test-Running $script:appId) } 20)
    }

    AfterAll {
        if ($pwsh -and -not $pwsh.HasExited) { $pwsh.Kill($true) }
        if ($appId -and (Test-Running $appId)) { & kill -KILL $appId }
    }

    It 'started the app (<Language>)' {
        $started | Should -BeTrue -Because "$($stdout.Result) $($stderr.Result)"
        $runningBefore | Should -BeTrue
    }

    It 'ends the pwsh on <Signal>' {
        $pwshExited | Should -BeTrue
    }

    It 'kills the app with it (<Language>)' {
        $appGone | Should -BeTrue -Because "process $appId still runs after its pwsh ended"
    }

    It 'removes the private HOME of the run, at the latest at the next run' {
        $appHome | Should -Not -BeNullOrEmpty
        if ($Signal -eq 'SIGKILL') {
            # nothing runs in a SIGKILLed pwsh: the next run sweeps what it left
            Test-Path $appHome | Should -BeTrue
            Import-TestModule
            $next = New-TestDirectory -Prefix 'lifetime-next'
            Set-Content -Path (Join-Path $next 'app.py') -Value 'print("next")'
            (Invoke-IExecEnclaveApp -Path $next -OutputPath (Join-Path $next 'out')).Succeeded | Should -BeTrue
        }
        (Wait-Until { -not (Test-Path $script:appHome) } 10) | Should -BeTrue -Because "$appHome is still there"
    }
}
