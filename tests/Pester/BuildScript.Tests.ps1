# build.ps1 is the one entry point a PowerShell user on any OS runs to build, package and run the Pester suite: its help
# must read (a #Requires line glued to the help block silently drops all of it), and it must not need bash.

BeforeAll {
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:buildScript = Join-Path $root 'build.ps1'
}

Describe 'build.ps1' {
    It 'has comment-based help with a synopsis, examples and every parameter described' {
        $help = Get-Help $buildScript -Full
        $help.Synopsis | Should -Match 'one entry point'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        $declared = (Get-Command $buildScript).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }
        foreach ($name in $declared) {
            $described = ($help.parameters.parameter | Where-Object name -EQ $name).description.Text -join ' '
            $described | Should -Not -BeNullOrEmpty -Because "-$name is a parameter of build.ps1"
        }
    }

    It 'runs set-up, build, package and the Pester suite without calling bash' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($buildScript, [ref]$null, [ref]$null)
        $commands = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
            ForEach-Object { $_.GetCommandName() }
        $commands | Should -Not -Contain 'bash'
        $commands | Should -Not -Contain 'sh'
    }

    It 'is what eng/setup.sh and eng/pester.sh run (one implementation of set-up and of the Pester run)' {
        Get-Content -Raw (Join-Path $root 'eng/setup.sh') | Should -Match 'build\.ps1" -Setup'
        Get-Content -Raw (Join-Path $root 'eng/pester.sh') | Should -Match 'build\.ps1" -NoBuild -Pester'
    }

    It 'passes the Pester arguments it does not know to Invoke-Tests.ps1' {
        $meta = (Get-Command $buildScript).Parameters['PesterArgument']
        $meta.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromRemainingArguments | Should -Contain $true
    }
}

Describe 'The scripts the repository ships' {
    It '<_> has readable comment-based help' -ForEach @('build.ps1', 'tests/Pester/Invoke-Tests.ps1', 'examples/tutorial.ps1') {
        (Get-Help (Join-Path $root $_)).Synopsis | Should -Not -Match '^\S+\.ps1 \[' -Because 'a synopsis equal to the syntax line means the help block was not read'
    }
}
