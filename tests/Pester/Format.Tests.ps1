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
    # recursively), so that a property added later is formatted too without touching this file.
    function New-Sample([type] $Type, [int] $Depth = 0) {
        $sample = [Activator]::CreateInstance($Type)
        foreach ($property in $Type.GetProperties()) {
            if (-not $property.SetMethod -or -not $property.SetMethod.IsPublic) { continue }
            $property.SetValue($sample, (New-SampleValue $property.PropertyType $property.Name $Depth))
        }
        $sample
    }

    function New-SampleValue([type] $Type, [string] $Name, [int] $Depth) {
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $Type = $underlying }
        switch ($Type) {
            ([string]) {
                if ($Name -match '(Id|Hash)$') { return '0x' + ('5a' * 32) }
                if ($Name -match '(Address|Owner|App|Workerpool|Dataset|Requester|Beneficiary|Resource|Hub)$') { return '0x' + ('7b' * 20) }
                return "sample-$($Name.ToLowerInvariant())"
            }
            ([bool]) { return $true }
            ([byte[]]) { $bytes = [byte[]]::new(32); $bytes[31] = 3; return , $bytes }
            ([string[]]) { return , [string[]]@(('0x' + ('c1' * 32)), ('0x' + ('c2' * 32))) }
            ([DateTimeOffset]) { return [DateTimeOffset]::new(2026, 12, 2, 3, 4, 5, [TimeSpan]::Zero) }
            ([System.Numerics.BigInteger]) { return [System.Numerics.BigInteger]::new(5) }
            ([System.Collections.Specialized.OrderedDictionary]) { return [ordered]@{ scone = 'https://sms.scone.example'; tdx = 'https://sms.tdx.example' } }
            ([IExecSecrets.Core.Crypto.EthAddress]) { return [IExecSecrets.Core.Crypto.EthAddress]::Parse('0x' + ('7b' * 20)) }
            ([object]) { return $null }
        }
        if ($Type.IsEnum) { return [Enum]::GetValues($Type)[0] }
        if ($Type.IsPrimitive) { return [Convert]::ChangeType(7, $Type) }
        if ($Type.IsArray -and $Depth -lt 2) {
            $element = $Type.GetElementType()
            $items = [Array]::CreateInstance($element, 2)
            for ($i = 0; $i -lt 2; $i++) { $items.SetValue((New-SampleValue $element $Name ($Depth + 1)), $i) }
            return , $items
        }
        if ($Type.Namespace -like 'IExecSecrets*' -and $Type.IsClass -and $Depth -lt 2) { return New-Sample $Type ($Depth + 1) }
        $null
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

# Issue 15: every default table fits 80 columns: no column dropped, nothing wrapped, no id, address or hash cut.
Describe 'Default table of <TypeName> fits 80 columns' -ForEach @($typeCases + $documentCases) {
    It 'shows every column on one line, and no cut id, address or hash' {
        $sample = New-Sample ([type]$TypeName)
        $lines = @(Format-AsUserSees { $sample | Format-Table } -Width 80)
        $table = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
        $lines[0] | Should -Match ('^\s*' + ((Get-ViewLabel $table | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$') -Because 'no column may be dropped at 80 columns'
        $lines.Count | Should -Be 3 -Because 'header, dashes and one row, nothing wrapped'
        foreach ($token in [regex]::Matches($lines -join "`n", '0x[0-9a-fA-F]+')) {
            $token.Value.Length | Should -BeIn @(42, 66) -Because "an id, address or hash is never cut ($($token.Value))"
        }
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
        $lines = @(Format-AsUserSees { $sample | Format-Table } -Width 80)
        $table = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
        $lines[0] | Should -Match ('^\s*' + ((Get-ViewLabel $table | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$') -Because 'no column may be dropped at 80 columns'
        $lines.Count | Should -Be 3 -Because 'header, dashes and one row, nothing wrapped'
        foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual 80 }
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
        $lines = @(Format-AsUserSees { $tasks | Format-Table } -Width 80)
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

    It 'prints the chains of Get-IExecChain as a table of five columns' {
        $lines = @(Format-AsUserSees { Get-IExecChain -Name bellecour })
        $lines[0] | Should -Match '^\s*Name\s+ChainId\s+IsDefault\s+DefaultTeeFramework\s+Host\s*$'
        $lines[2] | Should -Match '^bellecour\s+134\s+(True|False)\s+scone\s+https://bellecour\.iex\.ec$'
    }

    It 'loads the views from the manifest''s FormatsToProcess' {
        $manifest = Import-PowerShellDataFile (Get-TestManifestPath)
        $manifest.FormatsToProcess | Should -Contain 'IExecSecrets.Format.ps1xml'
        Join-Path (Split-Path (Get-TestManifestPath)) 'IExecSecrets.Format.ps1xml' | Should -Exist
    }
}
