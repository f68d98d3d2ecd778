// Namespaces most files of the module import (70 of its 107 files at the time of writing): the PowerShell API every
// cmdlet, completer and output type is written against. Others stay in the files that use them.
global using System.Management.Automation;
