// Namespaces most files of Core use (at the time of writing, 98 of its 189 files: 82 imported it, 11 are in it, 5 named
// its types in full): addresses, hex and hashes are on nearly every line that speaks to the chain, the market or the SMS.
// Others stay in the files that use them.
global using IExecSecrets.Core.Crypto;
