# What a user sees when the module's objects reach the console: every type a cmdlet declares in [OutputType] (and the
# signed order documents IExecOrder.Order carries) has a table view of a few columns and a list view
# (IExecSecrets.Format.ps1xml), prints ids, tags and bytes as text (never System.Byte[] or a type name), one table
# row per object, and converts to a string that is its id ("$deal" is the deal id).

BeforeDiscovery {
    . $PSScriptRoot/TestHelpers.ps1
    Import-TestModule
    $script:typeCases = @(Get-Command -Module IExecSecrets -CommandType Cmdlet).OutputType |
        Where-Object { $_.Type -and $_.Type.Namespace -like 'IExecSecrets*' } |
        ForEach-Object { $_.Type.FullName } | Sort-Object -Unique |
        ForEach-Object { @{ TypeName = $_ } }
    # Types users reach through properties of the output types ($deal.Tasks, $plan.AppOrder), found by reflection,
    # and the signed order documents IExecOrder.Order carries (typed object, so named here).
    $nested = [System.Collections.Generic.HashSet[string]]::new()
    $queue = [System.Collections.Generic.Queue[type]]::new()
    foreach ($case in $typeCases) { $queue.Enqueue([type]$case.TypeName) }
    while ($queue.Count) {
        foreach ($property in $queue.Dequeue().GetProperties()) {
            $type = $property.PropertyType
            if ($type.IsArray) { $type = $type.GetElementType() }
            if ($type.IsClass -and $type.Namespace -like 'IExecSecrets.Output*' -and $type.FullName -notin $typeCases.TypeName -and $nested.Add($type.FullName)) {
                $queue.Enqueue($type)
            }
        }
    }
    $script:documentCases = @($nested | Sort-Object) + @('AppOrder', 'DatasetOrder', 'WorkerpoolOrder', 'RequestOrder' | ForEach-Object { "IExecSecrets.Core.Orders.$_" }) |
        ForEach-Object { @{ TypeName = $_ } }
}

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Import-TestModule

    # A sample of any output type, every settable property filled with a value of its type (nested output types
    # recursively), so that a property added later is formatted too without touching this file. Values have the
    # length real ones have (42-character addresses, 66-character ids and hashes, 64-hex fingerprints, image
    # references with their digest, URLs), each one different (hex derived from the type and property name), so a
    # view that cuts or wraps one is caught.
    function New-Sample([type] $Type, [int] $Depth = 0, [string] $Seed = '') {
        $sample = [Activator]::CreateInstance($Type)
        foreach ($property in $Type.GetProperties()) {
            if (-not $property.SetMethod -or -not $property.SetMethod.IsPublic) { continue }
            $property.SetValue($sample, (New-SampleValue $property.PropertyType $property.Name $Depth "$Seed/$($Type.Name).$($property.Name)"))
        }
        $sample
    }

    # Hex characters derived from a seed: the same sample on every run, a different value for every property.
    function Get-SampleHex([string] $Seed, [int] $Length) {
        $hex = [Convert]::ToHexString([System.Security.Cryptography.SHA512]::HashData([Text.Encoding]::UTF8.GetBytes($Seed))).ToLowerInvariant()
        $hex.Substring(0, $Length)
    }

    function New-SampleValue([type] $Type, [string] $Name, [int] $Depth, [string] $Seed = $Name) {
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $Type = $underlying }
        switch ($Type) {
            ([string]) {
                if ($Name -match '^Sign$') { return '0x' + (Get-SampleHex $Seed 128) + '1b' }
                if ($Name -match '(Id|Hash|Checksum)$') { return '0x' + (Get-SampleHex $Seed 64) }
                if ($Name -eq 'Fingerprint') { return Get-SampleHex $Seed 64 }
                if ($Name -match '(Address|Owner|App|Workerpool|Dataset|Requester|Beneficiary|Resource|Hub|Signer|Sponsor|Worker|Escrow|Token|Restrict)$') { return '0x' + (Get-SampleHex $Seed 40) }
                if ($Name -match '(Multiaddr|Image)$') { return "registry-$(Get-SampleHex $Seed 8).example:5000/tutorial-app-sconified:1.0.0-debug@sha256:$(Get-SampleHex "$Seed/digest" 64)" }
                if ($Name -match '(Host|Url|Gateway|Proxy|Subgraph|Api|Market)$') { return "https://$(Get-SampleHex $Seed 8).sms.gramine.v8-bellecour.iex.ec" }
                if ($Name -eq 'MrEnclave') { return '{"framework":"SCONE","version":"v5.9","entrypoint":"node --disable-wasm-trap-handler /app/app.js","heapSize":1073741824,"fingerprint":"' + (Get-SampleHex $Seed 64) + '"}' }
                if ($Name -match '(Path|File|Directory)$') { return "/home/admin/runbooks/$(Get-SampleHex $Seed 8)/tutorial-project/results/result.zip" }
                # Other text as long as names, kinds and messages get, so a column sized to its content is wide.
                return "sample-$($Name.ToLowerInvariant())-$(Get-SampleHex $Seed 24)"
            }
            ([bool]) { return $true }
            ([byte[]]) { $bytes = [byte[]]::new(32); $bytes[31] = 3; return , $bytes }
            # Five items: PowerShell cuts an array it prints as a whole after four.
            ([string[]]) { return , [string[]]@(1..5 | ForEach-Object { '0x' + (Get-SampleHex "$Seed/$_" 64) }) }
            ([DateTimeOffset]) { return [DateTimeOffset]::new(2026, 12, 2, 3, 4, 5, [TimeSpan]::Zero) }
            ([System.Numerics.BigInteger]) { return [System.Numerics.BigInteger]::new(5) }
            ([System.Collections.Specialized.OrderedDictionary]) {
                return [ordered]@{ scone = "https://$(Get-SampleHex "$Seed/scone" 8).sms.scone.v8-bellecour.iex.ec"; gramine = "https://$(Get-SampleHex "$Seed/gramine" 8).sms.gramine.v8-bellecour.iex.ec"; tdx = 'https://sms.tdx.example' }
            }
            ([IExecSecrets.Core.Crypto.EthAddress]) { return [IExecSecrets.Core.Crypto.EthAddress]::Parse('0x' + (Get-SampleHex $Seed 40)) }
            ([IExecSecrets.Output.IExecMrEnclave]) {
                $fingerprint = Get-SampleHex $Seed 64
                return [IExecSecrets.Output.IExecMrEnclave]@{
                    Framework = 'SCONE'; Version = 'v5.9'; Entrypoint = 'node --disable-wasm-trap-handler /app/app.js'; HeapSize = 1073741824; Fingerprint = $fingerprint
                    Text = '{"framework":"SCONE","version":"v5.9","entrypoint":"node --disable-wasm-trap-handler /app/app.js","heapSize":1073741824,"fingerprint":"' + $fingerprint + '"}'
                }
            }
            ([object]) { return $null }
        }
        if ($Type.IsEnum) { return [Enum]::GetValues($Type)[0] }
        if ($Type.IsPrimitive) { return [Convert]::ChangeType(7, $Type) }
        if ($Type.IsArray -and $Depth -lt 2) {
            $element = $Type.GetElementType()
            $items = [Array]::CreateInstance($element, 2)
            for ($i = 0; $i -lt 2; $i++) { $items.SetValue((New-SampleValue $element $Name ($Depth + 1) "$Seed/$i"), $i) }
            return , $items
        }
        if ($Type.Namespace -like 'IExecSecrets*' -and $Type.IsClass -and $Depth -lt 2) { return New-Sample $Type ($Depth + 1) $Seed }
        $null
    }

    # The values of a sample a view must never cut or wrap: ids, addresses, hashes, fingerprints, image references
    # and URLs, as text, from its properties and those of the output objects it holds.
    function Get-WholeValue($Sample, [int] $Depth = 0) {
        if ($null -eq $Sample -or $Depth -gt 2) { return }
        foreach ($property in $Sample.GetType().GetProperties()) {
            if ($property.GetIndexParameters().Count) { continue }
            foreach ($value in @($property.GetValue($Sample))) {
                if ($null -eq $value) { continue }
                if ($value -is [byte[]]) { $value = '0x' + [Convert]::ToHexString($value).ToLowerInvariant() }
                if ($value -is [IExecSecrets.Core.Crypto.EthAddress]) { $value = $value.ToString() }
                if ($value -is [string]) {
                    if ($value -match '^(0x[0-9a-fA-F]{40}|0x[0-9a-fA-F]{64}|[0-9a-f]{64}|registry-\S+|https://\S+)$') { $value }
                }
                elseif ($value.GetType().Namespace -like 'IExecSecrets*' -and -not $value.GetType().IsEnum) { Get-WholeValue $value ($Depth + 1) }
            }
        }
    }

    # The whole values of a sample that a text shows cut or split: shown up to an ellipsis (PowerShell's mark of a
    # cut value), or not as often whole on one line as their first 18 characters (unique per value) appear.
    function Get-CutValue([string[]] $Lines, [string[]] $Whole) {
        $text = $Lines -join "`n"
        $shownCut = @([regex]::Matches($text, '(\S+)…') | ForEach-Object { $_.Groups[1].Value })
        foreach ($value in $Whole | Sort-Object -Unique) {
            $starts = [regex]::Matches($text, [regex]::Escape($value.Substring(0, 18))).Count
            $found = 0
            foreach ($line in $Lines) { $found += [regex]::Matches($line, [regex]::Escape($value)).Count }
            if ($starts -ne $found -or @($shownCut | Where-Object { $value.StartsWith($_, [StringComparison]::Ordinal) }).Count) { $value }
        }
    }

    # The labels of a view's columns or list items, as Get-FormatData gives them.
    function Get-ViewLabel($View) {
        if ($View.Control -is [System.Management.Automation.TableControl]) {
            $i = 0
            foreach ($header in $View.Control.Headers) {
                $item = $View.Control.Rows[0].Columns[$i++].DisplayEntry
                if ($header.Label) { $header.Label } else { $item.Value }
            }
        }
        else {
            foreach ($item in $View.Control.Entries[0].Items) { if ($item.Label) { $item.Label } else { $item.DisplayEntry.Value } }
        }
    }

    # What the console would show: PowerShell's rendering at a wide terminal width, in plain text.
    function Format-AsUserSees([scriptblock] $Command, [int] $Width = 250) {
        (& $Command | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() }
    }

    # A log, a runbook's output or a console 80 columns wide: pwsh's console host leaves the last column empty, so
    # what it prints at 80 is what Out-String -Width 79 gives (a table that fits it fits Out-String -Width 80).
    $script:LogWidth = 79

    # The property a type's ToString() gives: its id.
    $script:idProperty = @{
        'IExecSecrets.Output.IExecApp'               = 'Address'
        'IExecSecrets.Output.IExecChain'             = 'Name'
        'IExecSecrets.Output.IExecDeal'              = 'DealId'
        'IExecSecrets.Output.IExecEnclaveRun'        = 'ResultPath'
        'IExecSecrets.Output.IExecOrder'             = 'OrderHash'
        'IExecSecrets.Output.IExecOrderCancellation' = 'OrderHash'
        'IExecSecrets.Output.IExecOrderUnpublication' = 'OrderHash'
        'IExecSecrets.Output.IExecClaim' = 'DealId'
        'IExecSecrets.Output.IExecAccount' = 'Address'
        'IExecSecrets.Output.IExecStakeChange' = 'TxHash'
        'IExecSecrets.Output.IExecProjectInitResult' = 'Path'
        'IExecSecrets.Output.IExecRunPlan'           = 'PredictedDealId'
        'IExecSecrets.Output.IExecSecretPushResult'  = 'Name'
        'IExecSecrets.Output.IExecSecretStatus'      = 'Name'
        'IExecSecrets.Output.IExecTask'              = 'TaskId'
        'IExecSecrets.Output.IExecTaskResult'        = 'Path'
        'IExecSecrets.Output.IExecTeeImage'          = 'SconifiedImage'
        'IExecSecrets.Output.IExecWallet'            = 'Address'
        'IExecSecrets.Output.IExecTaskLog'           = 'TaskId'
        'IExecSecrets.Output.IExecConfigurationEntry' = { '{0}={1}' -f $args[0].Name, $args[0].Value }
        'IExecSecrets.Output.IExecDataset'           = 'Address'
        'IExecSecrets.Output.IExecProtectedDataset'  = 'Path'
        'IExecSecrets.Output.IExecResultEncryptionKey' = 'VaultSecret'
    }

    # Properties a list view leaves out on purpose, each shown by a view of its own.
    $script:notListed = @{ 'IExecSecrets.Output.IExecOrder' = @('Order') }
}

Describe 'Format views of <TypeName>' -ForEach @($typeCases + $documentCases) {
    BeforeAll {
        $type = [type]$TypeName
        $views = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition)
        $table = @($views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
        $list = @($views | Where-Object { $_.Control -is [System.Management.Automation.ListControl] })[0]
        $sample = New-Sample $type
    }

    It 'has a table view of 2 to 6 columns, and it is the default view' {
        $table | Should -Not -BeNullOrEmpty -Because "IExecSecrets.Format.ps1xml needs a table view for $TypeName"
        @(Get-ViewLabel $table).Count | Should -BeIn (2..6)
        $views[0].Control | Should -BeOfType [System.Management.Automation.TableControl]
    }

    It 'has a list view with the details' {
        $list | Should -Not -BeNullOrEmpty -Because "IExecSecrets.Format.ps1xml needs a list view for $TypeName"
        @(Get-ViewLabel $list).Count | Should -BeGreaterOrEqual @(Get-ViewLabel $table).Count
    }

    It 'lists every property in its list view' {
        $labels = @(Get-ViewLabel $list)
        foreach ($property in $type.GetProperties() | Where-Object { $_.GetMethod.IsPublic -and -not $_.GetMethod.IsStatic }) {
            if ($notListed[$TypeName] -contains $property.Name) { continue }
            $labels | Should -Contain $property.Name -Because "Format-List of $TypeName must show $($property.Name)"
        }
    }

    It 'prints a sample as one table row under the view''s headers, with every value as text' {
        $lines = @(Format-AsUserSees { $sample })
        $labels = @(Get-ViewLabel $table)
        $lines[0] | Should -Match ('^\s*' + (($labels | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$')
        $lines.Count | Should -Be 3 -Because 'header, dashes and one row'
        $lines -join "`n" | Should -Not -Match 'System\.|IExecSecrets\.|\{'
    }

    It 'prints a sample as a list with tags, bytes and addresses as text' {
        $text = (Format-AsUserSees { $sample | Format-List }) -join "`n"
        foreach ($label in Get-ViewLabel $list) { $text | Should -Match ('(?m)^{0}\s*:' -f [regex]::Escape($label)) }
        $text | Should -Not -Match 'System\.Byte|System\.Object|IExecSecrets\.|\{\d+, \d+'
    }
}

# Issue 15: a user filters on what they see (Where-Object Result -eq Pushed), so a table column is always a property.
Describe 'Table columns of <TypeName> are properties' -ForEach @($typeCases + $documentCases) {
    It 'names only properties of the type in its table view' {
        $table = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
        $properties = @(([type]$TypeName).GetProperties().Name)
        foreach ($label in Get-ViewLabel $table) {
            $properties | Should -Contain $label -Because "the $label column of $TypeName must be a property a user can filter on"
        }
    }
}

# Issue 15: every default table fits 80 columns: no column dropped, nothing wrapped, and every id, address, hash,
# fingerprint, image reference and URL of real length shown whole on one line or not at all (PowerShell cuts a value
# wider than its column with an ellipsis, and wraps a row only when asked to).
Describe 'Default table of <TypeName> fits 80 columns' -ForEach @($typeCases + $documentCases) {
    It 'shows every column on one line, and no cut id, address, hash, image reference or URL' {
        $sample = New-Sample ([type]$TypeName)
        $lines = @(Format-AsUserSees { $sample | Format-Table } -Width $LogWidth)
        $table = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
        $lines[0] | Should -Match ('^\s*' + ((Get-ViewLabel $table | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$') -Because 'no column may be dropped at 80 columns'
        $lines.Count | Should -Be 3 -Because 'header, dashes and one row, nothing wrapped'
        foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual $LogWidth }
        @(Get-CutValue $lines @(Get-WholeValue $sample)) | Should -BeNullOrEmpty -Because "the table must show these whole or not at all:`n$($lines -join "`n")"
        foreach ($token in [regex]::Matches($lines -join "`n", '0x[0-9a-fA-F]+')) {
            $token.Value.Length | Should -BeIn @(42, 66) -Because "an id, address or hash is never cut ($($token.Value))"
        }
    }
}

# Issue 15: Format-List at 80 columns never cuts a value: arrays of ids print one per line (PowerShell cuts an array
# printed as a whole after four items, {a, b, c, d…}), structured values print as text. PowerShell's list aligns every
# value after the longest label and wraps a value wider than what is left: beside labels of more than 11 characters
# (PredictedDealId, ResultLocation) a 66-character hash goes on past the line; read back without the wrap it is whole.
Describe 'List view of <TypeName> at 80 columns' -ForEach @($typeCases + $documentCases) {
    It 'shows every id, address, hash, image reference and URL whole, and structured values as text' {
        $sample = New-Sample ([type]$TypeName)
        $text = (Format-AsUserSees { $sample | Format-List } -Width $LogWidth) -join "`n"
        # A wrapped value goes on in the next line after the label column's blanks: join it back.
        $unwrapped = @($text -replace '\n +', '' -split "`n")
        @(Get-CutValue $unwrapped @(Get-WholeValue $sample)) | Should -BeNullOrEmpty -Because "the list must show these whole:`n$text"
        $text | Should -Not -Match '…|\{\[|System\.|IExecSecrets\.' -Because "no value is cut, shown as a dictionary or as a type name:`n$text"
    }
}

# Issue 15: logs, runbooks and CI consoles are 80 columns wide; the default table must show every id, address and hash
# whole there (PowerShell cuts a value that does not fit with an ellipsis, or drops the columns past the width).
Describe 'Default table of <TypeName> at 80 columns' -ForEach @(
    @{ TypeName = 'IExecSecrets.Output.IExecTask'; Whole = 'TaskId' }
    @{ TypeName = 'IExecSecrets.Output.IExecDeal'; Whole = 'DealId' }
    @{ TypeName = 'IExecSecrets.Output.IExecRunPlan'; Whole = 'PredictedDealId' }
    @{ TypeName = 'IExecSecrets.Output.IExecSecretPushResult'; Whole = 'Name' }
    @{ TypeName = 'IExecSecrets.Output.IExecSecretStatus'; Whole = 'Name' }
    @{ TypeName = 'IExecSecrets.Output.IExecWallet'; Whole = 'Address' }
    @{ TypeName = 'IExecSecrets.Output.IExecApp'; Whole = 'Address' }
    @{ TypeName = 'IExecSecrets.Output.IExecOrder'; Whole = 'Resource' }
    @{ TypeName = 'IExecSecrets.Output.IExecPlannedOrder'; Whole = 'Resource' }
    @{ TypeName = 'IExecSecrets.Output.IExecTaskResult'; Whole = 'TaskId' }
    @{ TypeName = 'IExecSecrets.Output.IExecTaskLog'; Whole = 'TaskId' }
) {
    It 'shows every column, and every id, address and hash whole on one line' {
        $sample = New-Sample ([type]$TypeName)
        # Real-length values, the longest a column holds: a dataset secret is named by the dataset address.
        if ($Whole -eq 'Name') { $sample.Name = '0x' + ('7b' * 20) }
        $sample.$Whole | Should -Match '^0x([0-9a-f]{40}|[0-9a-f]{64})$' -Because 'the sample must hold a real-length id'
        $lines = @(Format-AsUserSees { $sample | Format-Table } -Width $LogWidth)
        $table = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
        $lines[0] | Should -Match ('^\s*' + ((Get-ViewLabel $table | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$') -Because 'no column may be dropped at 80 columns'
        $lines.Count | Should -Be 3 -Because 'header, dashes and one row, nothing wrapped'
        foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual $LogWidth }
        $lines[2] | Should -Match ([regex]::Escape($sample.$Whole) + '(\s|$)')
        foreach ($token in [regex]::Matches($lines -join "`n", '0x[0-9a-fA-F]+')) {
            $token.Value.Length | Should -BeIn @(42, 66) -Because "an id, address or hash is never cut ($($token.Value))"
        }
    }
}

Describe 'ToString of <TypeName>' -ForEach $typeCases {
    It 'gives the id, not the type name' {
        $sample = New-Sample ([type]$TypeName)
        "$sample" | Should -Not -Be $TypeName
        $idProperty.ContainsKey($TypeName) | Should -BeTrue -Because "each output type says which property is its id (add $TypeName to the table above)"
        $expected = $idProperty[$TypeName]
        $id = if ($expected -is [scriptblock]) { & $expected $sample } else { [string]$sample.$expected }
        "$sample" | Should -BeExactly $id
    }
}

Describe 'Readable output as users run it' {
    It '"$deal" is the deal id' {
        $deal = New-Sample ([IExecSecrets.Output.IExecDeal])
        $deal.DealId = '0x' + ('ab' * 32)
        "$deal" | Should -BeExactly ('0x' + ('ab' * 32))
        "deal $deal done" | Should -BeExactly "deal 0x$('ab' * 32) done"
    }

    It 'prints a 1,000-secret batch as one table row per result' {
        $results = foreach ($i in 1..1000) {
            [IExecSecrets.Output.IExecSecretPushResult]@{
                Name = "secret-$i"; Kind = 'Requester'; Owner = '0x' + ('7b' * 20); IsPushed = $true; SmsUrl = 'https://sms.scone.example'
            }
        }
        $lines = @(Format-AsUserSees { $results } -Width 120)
        $lines.Count | Should -Be 1002 -Because 'one header, one dash line, then exactly one line per result'
        $lines[2] | Should -Match '^Requester\s+Pushed\s+secret-1$'
        $lines[1001] | Should -Match '\ssecret-1000$'
    }

    It 'Get-IExecTask | Format-Table keeps full task ids on one line per task at 80 columns' {
        $tasks = foreach ($i in 0..4) {
            $task = New-Sample ([IExecSecrets.Output.IExecTask])
            $task.TaskId = '0x' + ('{0:x2}' -f (16 + $i)) * 32
            $task.Index = $i
            $task.StatusName = 'COMPLETED'
            $task.Status = 'COMPLETED'
            $task
        }
        $lines = @(Format-AsUserSees { $tasks | Format-Table } -Width $LogWidth)
        $lines.Count | Should -Be 7
        $lines[0] | Should -Match '^\s*Status\s+TaskId\s*$'
        foreach ($task in $tasks) { $lines -join "`n" | Should -Match ('(?m)^\w+\s+' + [regex]::Escape($task.TaskId) + '$') }
    }

    It 'shows an order''s tag as names and the signed order''s bytes as hex' {
        $document = New-Sample ([IExecSecrets.Core.Orders.AppOrder])
        $text = (Format-AsUserSees { $document | Format-List }) -join "`n"
        $text | Should -Match '(?m)^Tag\s*: 0x0{62}03$'
        $text | Should -Match '(?m)^TagNames\s*: tee,scone$'
        $text | Should -Match '(?m)^Salt\s*: 0x0{62}03$'
        $text | Should -Not -Match 'System\.Byte'
    }

    It 'prints the chains of Get-IExecChain as a table of four columns that fits 80, the hosts in the list' {
        $lines = @(Format-AsUserSees { Get-IExecChain } -Width $LogWidth)
        $lines[0] | Should -Match '^\s*Name\s+ChainId\s+IsDefault\s+DefaultTeeFramework\s*$'
        $lines | Should -Contain ($lines | Where-Object { $_ -match '^bellecour\s+134\s+(True|False)\s+scone\s*$' })
        $lines -join "`n" | Should -Not -Match '…' -Because 'nothing is cut at 80 columns'
        $list = (Format-AsUserSees { Get-IExecChain -Name bellecour | Format-List } -Width $LogWidth) -join "`n"
        $list | Should -Match '(?m)^Host\s+: https://bellecour\.iex\.ec$'
        # One SMS per line, so each URL stays whole.
        $list | Should -Match '(?m)^Sms\s+: scone=https://sms\.iex\.ec\n\s+gramine=https://sms\.gramine\.v8-bellecour\.iex\.ec$'
    }

    # A script's output is formatted by one Out-Default: an object of another type than the first one printed is
    # shown as a list of all its properties, each value by its ToString(), whatever the type's views say.
    It 'prints an app''s mrenclave as its text, not a cut dictionary, when a script prints the app after another type' {
        $app = New-Sample ([IExecSecrets.Output.IExecApp])
        $text = (Format-AsUserSees { & { New-Sample ([IExecSecrets.Output.IExecWallet]); $app } } -Width 400) -join "`n"
        $text | Should -Match ('(?m)^MrEnclave\s+: ' + [regex]::Escape($app.MrEnclave.Text) + '$')
        $text | Should -Not -Match '\{\['
        "$($app.MrEnclave)" | Should -BeExactly $app.MrEnclave.Text
        (Format-AsUserSees { $app | Format-List } -Width 400) -join "`n" | Should -Match ('(?m)^MrEnclave\s+: ' + [regex]::Escape($app.MrEnclave.Text) + '$')
    }

    It 'loads the views from the manifest''s FormatsToProcess' {
        $manifest = Import-PowerShellDataFile (Get-TestManifestPath)
        $manifest.FormatsToProcess | Should -Contain 'IExecSecrets.Format.ps1xml'
        Join-Path (Split-Path (Get-TestManifestPath)) 'IExecSecrets.Format.ps1xml' | Should -Exist
    }
}
