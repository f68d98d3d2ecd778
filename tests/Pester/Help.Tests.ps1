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
