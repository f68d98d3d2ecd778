# Get-Help as a user reads it, checked against what PowerShell itself knows about each cmdlet (Get-Command): every
# cmdlet has a synopsis, a description and examples; every parameter is documented, and what the help says about it
# (required, position, pipeline input, aliases, type) is what the parameter binder does; one syntax per parameter set.
# The help is generated at build time (tools/IExecSecrets.HelpGen), so these tests guard the generator and the doc
# comments it reads: a parameter added without a /// <summary> fails here.

BeforeDiscovery {
    . $PSScriptRoot/TestHelpers.ps1
    Import-TestModule
    $script:cmdletCases = @(Get-Command -Module IExecSecrets -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
            $command = $_
            @{
                Name       = $command.Name
                Parameters = @($command.ParameterSets.Parameters.Name | Select-Object -Unique |
                        Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters } |
                        ForEach-Object { @{ Cmdlet = $command.Name; Parameter = $_ } })
            }
        })
}

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Import-TestModule
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters
    # The SYNTAX section as Get-Help prints it, rendered once in a new pwsh, as a user sees it.
    $fresh = New-TestHome
    $rendered = Invoke-TestPwsh -HomeDirectory $fresh -Script @"
Import-Module '$(Get-TestManifestPath)'
`$syntax = [ordered]@{}
foreach (`$c in Get-Command -Module IExecSecrets -CommandType Cmdlet) { `$syntax[`$c.Name] = (Get-Help `$c.Name).syntax | Out-String -Width 4096 }
`$syntax | ConvertTo-Json -Compress
"@
    Remove-TestDirectory $fresh
    if ($rendered.ExitCode -ne 0) { throw "Rendering the help in a new pwsh failed: $($rendered.Error)" }
    $script:syntaxText = $rendered.Output -join '' | ConvertFrom-Json -AsHashtable

    # The sets of a cmdlet in help order: the default set first, then PowerShell's order.
    function Get-OrderedSet([System.Management.Automation.CommandInfo] $Command) {
        @($Command.ParameterSets | Sort-Object -Stable { if ($_.IsDefault) { 0 } else { 1 } })
    }

    function Get-PipelineText([System.Management.Automation.CommandParameterInfo] $Parameter) {
        if ($Parameter.ValueFromPipeline -and $Parameter.ValueFromPipelineByPropertyName) { 'True (ByValue, ByPropertyName)' }
        elseif ($Parameter.ValueFromPipeline) { 'True (ByValue)' }
        elseif ($Parameter.ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' }
        else { 'False' }
    }

    function Get-PositionText([System.Management.Automation.CommandParameterInfo] $Parameter) {
        if ($Parameter.Position -ge 0) { [string]$Parameter.Position } else { 'named' }
    }

    # What the help must say about one parameter: one value when every set that has the parameter agrees, else
    # "value (Set), value (Set)", so that no parameter set is misdescribed.
    function Get-ExpectedValue([System.Management.Automation.CommandInfo] $Command, [string] $Name, [scriptblock] $Value) {
        $uses = foreach ($set in Get-OrderedSet $Command) {
            $parameter = $set.Parameters | Where-Object Name -EQ $Name
            if ($parameter) { [pscustomobject]@{ Set = $set.Name; Value = [string](& $Value $parameter) } }
        }
        if (@($uses.Value | Select-Object -Unique).Count -eq 1) { return $uses[0].Value }
        ($uses | ForEach-Object { "$($_.Value) ($($_.Set))" }) -join ', '
    }

    # The parameters of one syntax line (a set without parameters has no 'parameter' property at all).
    function Get-SyntaxParameter($Item) {
        if ($Item.PSObject.Properties['parameter']) { @($Item.parameter) } else { @() }
    }

    function Get-TypeText([type] $Type) {
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $Type = $underlying }
        $Type.FullName
    }
}

Describe 'Help of <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $cmdletHelp = $help
    }

    It 'comes from the generated MAML, not from the syntax PowerShell makes up without help' {
        $help.ModuleName | Should -Be 'IExecSecrets'
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name*"
    }

    It 'has a description' {
        ($help.description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'shows one syntax per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'lists in each syntax exactly the parameters of one set, with its Mandatory, Position and pipeline binding' {
        $items = @($help.syntax.syntaxItem)
        foreach ($set in Get-OrderedSet $command) {
            $expected = @($set.Parameters | Where-Object Name -NotIn $common)
            $names = @($expected | ForEach-Object Name | Sort-Object)
            $matching = @($items | Where-Object { (@(Get-SyntaxParameter $_ | ForEach-Object name | Sort-Object) -join ',') -eq ($names -join ',') })
            $matching.Count | Should -Be 1 -Because "parameter set '$($set.Name)' ($($names -join ', ')) needs its own syntax line"
            foreach ($parameter in $expected) {
                $shown = Get-SyntaxParameter $matching[0] | Where-Object name -EQ $parameter.Name
                $shown.required | Should -Be ([string]$parameter.IsMandatory).ToLowerInvariant() -Because "-$($parameter.Name) in set $($set.Name)"
                $shown.position | Should -Be (Get-PositionText $parameter) -Because "-$($parameter.Name) in set $($set.Name)"
                $shown.pipelineInput | Should -Be (Get-PipelineText $parameter) -Because "-$($parameter.Name) in set $($set.Name)"
            }
        }
    }

    It 'offers -WhatIf and -Confirm in every syntax when it supports ShouldProcess' {
        $supports = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].SupportsShouldProcess
        foreach ($item in @($help.syntax.syntaxItem)) {
            $names = @(Get-SyntaxParameter $item | ForEach-Object name)
            $has = $names -contains 'WhatIf' -and $names -contains 'Confirm'
            $has | Should -Be $supports
        }
    }

    It 'prints switches in the syntax without a value and ends each syntax with the common parameters' {
        $text = $syntaxText[$Name]
        $text | Should -Not -Match '<SwitchParameter>'
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() -like "$Name*" })
        $lines.Count | Should -Be @($command.ParameterSets).Count
        foreach ($line in $lines) { $line.Trim() | Should -BeLike '*`[<CommonParameters>`]' }
        foreach ($switch in @($command.ParameterSets.Parameters | Where-Object { $_.ParameterType -eq [switch] -and $_.Name -notin $common })) {
            $text | Should -Match ('-{0}\b' -f $switch.Name)
            $text | Should -Not -Match ('-{0} <' -f $switch.Name)
        }
    }

    It 'documents no parameter the cmdlet does not have' {
        $actual = @($command.Parameters.Keys)
        foreach ($documented in @($help.parameters.parameter.name)) {
            $documented | Should -BeIn $actual
        }
    }

    Context 'parameter -<Parameter>' -ForEach $Parameters {
        BeforeAll {
            # The help of the Describe block, read once per cmdlet (Get-Help -Parameter per parameter is slow).
            $help = @($cmdletHelp.parameters.parameter | Where-Object name -EQ $Parameter)[0]
            $metadata = $command.Parameters[$Parameter]
        }

        It 'is documented' {
            $help | Should -Not -BeNullOrEmpty -Because "Get-Help $Cmdlet -Full must list -$Parameter"
            ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
        }

        It 'is described as the parameter binder sees it: required, position, pipeline input, aliases, type' {
            $help.required | Should -Be (Get-ExpectedValue $command $Parameter { param($p) ([string]$p.IsMandatory).ToLowerInvariant() }) -Because 'Required? must match Mandatory in every parameter set'
            $help.position | Should -Be (Get-ExpectedValue $command $Parameter { param($p) Get-PositionText $p }) -Because 'Position? must match the parameter sets'
            $help.pipelineInput | Should -Be (Get-ExpectedValue $command $Parameter { param($p) Get-PipelineText $p }) -Because 'Accept pipeline input? must match ValueFromPipeline(ByPropertyName)'
            $aliases = if ($metadata.Aliases.Count) { $metadata.Aliases -join ', ' } else { 'None' }
            $help.aliases | Should -Be $aliases -Because 'Aliases must list the [Alias] names'
            $help.type.name | Should -Be (Get-TypeText $metadata.ParameterType) -Because 'the type must be the parameter type'
        }
    }
}

# The markdown pages under docs/cmdlets come from the same model as the MAML (tools/IExecSecrets.HelpGen writes both at
# build time, the pages to out/cmdlet-docs); the committed copy must be what the generator writes now, so that the pages
# -Online opens cannot drift from Get-Help. ./build.ps1 -UpdateCmdletDocs refreshes them.
Describe 'Markdown help in docs/cmdlets' {
    BeforeAll {
        $repo = Get-TestRepoRoot
        $generated = Join-Path $repo 'out/cmdlet-docs'
        $committed = Join-Path $repo 'docs/cmdlets'
        $names = @(Get-Command -Module IExecSecrets -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
    }

    It 'has one page per cmdlet and an index, and nothing else' {
        $expected = @($names | ForEach-Object { "$_.md" }) + 'README.md' | Sort-Object
        @(Get-ChildItem $committed -File | ForEach-Object Name | Sort-Object) | Should -Be $expected
        $index = Get-Content -Raw (Join-Path $committed 'README.md')
        foreach ($name in $names) { $index | Should -Match ([regex]::Escape("[$name]($name.md)")) }
    }

    It 'is exactly what the help generator writes from the built module (run ./build.ps1 -UpdateCmdletDocs when not)' {
        Test-Path (Join-Path $generated 'README.md') | Should -BeTrue -Because 'the build writes the pages to out/cmdlet-docs'
        $stale = foreach ($file in Get-ChildItem $generated -Filter *.md -File) {
            $copy = Join-Path $committed $file.Name
            # Line ends aside (a Windows checkout may turn LF into CRLF), byte for byte.
            if (-not (Test-Path $copy) -or ([IO.File]::ReadAllText($copy) -replace "`r`n", "`n") -cne [IO.File]::ReadAllText($file.FullName)) { $file.Name }
        }
        @($stale) | Should -BeNullOrEmpty -Because 'docs/cmdlets must be regenerated and committed with ./build.ps1 -UpdateCmdletDocs'
    }

    It 'says what Get-Help says for <_>: synopsis, syntax count, each parameter''s default and pipeline input' -ForEach @(Get-Command -Module IExecSecrets -CommandType Cmdlet | ForEach-Object Name | Sort-Object) {
        $help = Get-Help $_ -Full
        $page = Get-Content -Raw (Join-Path $committed "$_.md")
        $synopsis = ($page -split '## SYNOPSIS')[1].Trim() -split "`n" | Select-Object -First 1
        ($synopsis -replace '\\(.)', '$1') | Should -Be $help.Synopsis.Trim()
        ([regex]::Matches($page, '(?m)^```\r?\n' + [regex]::Escape($_) + ' ')).Count | Should -Be @($help.syntax.syntaxItem).Count
        foreach ($parameter in @($help.parameters.parameter)) {
            $block = ($page -split "(?m)^### -$($parameter.name)\r?\n")[1] -split '(?m)^### ' | Select-Object -First 1
            $block | Should -Match ('(?m)^Default value: ' + [regex]::Escape($parameter.defaultValue) + '$') -Because "-$($parameter.name)"
            $block | Should -Match ('(?m)^Accept pipeline input: ' + [regex]::Escape($parameter.pipelineInput) + '$') -Because "-$($parameter.name)"
        }
    }
}

# Get-Help -Online goes to the cmdlet's page: HelpUri = <ProjectUri>/blob/main/docs/cmdlets/<Verb-Noun>.md, a file the
# repository has. The browser launch is intercepted: on Linux .NET opens a URI with the first xdg-open on PATH.
Describe 'Online help' {
    BeforeAll {
        $repo = Get-TestRepoRoot
        $project = (Import-PowerShellDataFile (Get-TestManifestPath)).PrivateData.PSData.ProjectUri.TrimEnd('/')
        $names = @(Get-Command -Module IExecSecrets -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
    }

    It 'has a ProjectUri in the manifest and a HelpUri on every cmdlet pointing at its committed page' {
        $project | Should -Match '^https://github\.com/[^/]+/[^/]+$'
        foreach ($name in $names) {
            $uri = (Get-Command $name).HelpUri
            $uri | Should -Be "$project/blob/main/docs/cmdlets/$name.md" -Because "$name needs a HelpUri for Get-Help -Online"
            Test-Path (Join-Path $repo ($uri.Substring("$project/blob/main/".Length))) | Should -BeTrue -Because "$uri must be a committed page"
        }
    }

    It 'opens that page with Get-Help -Online for every cmdlet' -Skip:(-not $IsLinux) {
        $bin = New-TestDirectory -Prefix 'iexec-xdg'
        $opened = Join-Path $bin 'opened.txt'
        Set-Content -Path (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`nprintf '%s\n' `"`$1`" >> '$opened'`n"
        chmod +x (Join-Path $bin 'xdg-open')
        $fresh = New-TestHome
        $result = Invoke-TestPwsh -HomeDirectory $fresh -Environment @{ PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH" } -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-TestManifestPath)'
foreach (`$c in Get-Command -Module IExecSecrets -CommandType Cmdlet) { Get-Help `$c.Name -Online }
"@
        Remove-TestDirectory $fresh
        $result.ExitCode | Should -Be 0 -Because $result.Error
        # xdg-open runs detached from Get-Help: wait for every launch to be recorded.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline -and @(Get-Content $opened -ErrorAction SilentlyContinue).Count -lt $names.Count) { Start-Sleep -Milliseconds 200 }
        $launched = @(Get-Content $opened | Sort-Object)
        Remove-TestDirectory $bin
        $launched | Should -Be @($names | ForEach-Object { "$project/blob/main/docs/cmdlets/$_.md" } | Sort-Object)
    }
}

# Defaults and INPUTS as the parameter binder and the cmdlet behave, never "Default value None" where a default applies
# nor "None" where objects bind from the pipeline.
Describe 'True defaults and INPUTS' {
    It 'shows the current folder as the default of -Path where the cmdlet uses it' -ForEach @(
        @{ Cmdlet = 'Save-IExecTaskResult'; Default = 'the current folder' }
        @{ Cmdlet = 'Initialize-IExecProject'; Default = 'the current location' }
        @{ Cmdlet = 'Deploy-IExecApp'; Default = 'the current location' }
        @{ Cmdlet = 'Deploy-IExecDataset'; Default = 'the current location' }
    ) {
        (Get-Help $Cmdlet -Parameter Path).defaultValue | Should -Be $Default
        $text = Get-Help $Cmdlet -Parameter Path | Out-String -Width 200
        $text | Should -Match "Default value\s+$([regex]::Escape($Default))"
        $text | Should -Not -Match 'Default value\s+None'
    }

    It 'never shows Default value None for a parameter whose text names a default (<_>)' -ForEach @(Get-Command -Module IExecSecrets -CommandType Cmdlet | ForEach-Object Name | Sort-Object) {
        foreach ($parameter in @((Get-Help $_ -Full).parameters.parameter)) {
            $text = ($parameter.description.Text -join ' ')
            if ($text -match '(^|[.;:)]\s)[Dd]efault: |\([Dd]efault:? ') {
                $parameter.defaultValue | Should -Not -Be 'None' -Because "-$($parameter.name) says '$text'"
            }
        }
    }

    It 'lists as INPUTS the types that bind from the pipeline, and None only when nothing does (<_>)' -ForEach @(Get-Command -Module IExecSecrets -CommandType Cmdlet | ForEach-Object Name | Sort-Object) {
        $command = Get-Command $_
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $bindable = @($command.ParameterSets.Parameters | Where-Object { $_.Name -notin $common -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) })
        $expected = @($bindable | Where-Object ValueFromPipeline | ForEach-Object {
                $type = if ([Nullable]::GetUnderlyingType($_.ParameterType)) { [Nullable]::GetUnderlyingType($_.ParameterType) } else { $_.ParameterType }
                if ($type.IsArray) { $type.GetElementType().FullName } else { $type.FullName }
            })
        if (@($bindable | Where-Object ValueFromPipelineByPropertyName).Count) { $expected += 'System.Management.Automation.PSObject' }
        if (-not $bindable.Count) { $expected = @('None') }
        $help = Get-Help $_ -Full
        @($help.inputTypes.inputType.type.name | Sort-Object -Unique) | Should -Be @($expected | Sort-Object -Unique)
        $inputs = ($help | Out-String -Width 200) -split '(?m)^INPUTS\s*$' | Select-Object -Last 1
        $inputs = ($inputs -split '(?m)^OUTPUTS\s*$')[0]
        $inputs | Should -Not -Match 'None\.\s+None' -Because 'INPUTS must not read "None. None."'
        foreach ($name in @($bindable | Where-Object ValueFromPipelineByPropertyName | ForEach-Object Name)) {
            $inputs | Should -Match "\b$name\b" -Because "-$name binds by property name"
        }
    }
}

# The help ships with the module (chosen over updatable help, documented in README and about_IExecSecrets): the manifest
# has no HelpInfoUri, so Update-Help and Save-Help never reach the network for this module and fail at once with
# HelpInfoUriNotFound, leaving the installed help whole.
Describe 'Update-Help and Save-Help' {
    It 'are not needed: no HelpInfoUri, both fail with HelpInfoUriNotFound, the help stays whole, and the docs say so' {
        (Import-PowerShellDataFile (Get-TestManifestPath)).ContainsKey('HelpInfoUri') | Should -BeFalse
        $fresh = New-TestHome
        $save = New-TestDirectory -Prefix 'iexec-savehelp'
        $result = Invoke-TestPwsh -HomeDirectory $fresh -Script @"
Import-Module '$(Get-TestManifestPath)'
try { Update-Help -Module IExecSecrets -UICulture en-US -Force -ErrorAction Stop; 'update: no error' } catch { 'update: ' + `$_.FullyQualifiedErrorId }
try { Save-Help -Module IExecSecrets -UICulture en-US -DestinationPath '$save' -Force -ErrorAction Stop; 'save: no error' } catch { 'save: ' + `$_.FullyQualifiedErrorId }
'examples: ' + @((Get-Help Push-IExecRequesterSecret -Examples).examples.example).Count
"@
        Remove-TestDirectory $fresh
        @(Get-ChildItem $save).Count | Should -Be 0
        Remove-TestDirectory $save
        $result.Output | Should -Contain 'update: HelpInfoUriNotFound,Microsoft.PowerShell.Commands.UpdateHelpCommand'
        $result.Output | Should -Contain 'save: HelpInfoUriNotFound,Microsoft.PowerShell.Commands.SaveHelpCommand'
        [int](@($result.Output -match '^examples: ')[0] -replace 'examples: ') | Should -BeGreaterOrEqual 2
        $about = Get-Help about_IExecSecrets | Out-String
        $about | Should -Match 'Update-Help and\s+Save-Help are not needed'
        Get-Content -Raw (Join-Path (Get-TestRepoRoot) 'README.md') | Should -Match 'Update-Help'
    }
}
