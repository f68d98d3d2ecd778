// Namespaces most files of the module use (at the time of writing, of its 110 files): the PowerShell API every cmdlet,
// completer and output type is written against (70 files), and the module's output types (80: 53 import them, 27 are
// them). Others stay in the files that use them.
global using System.Management.Automation;
global using IExecSecrets.Output;
