// Namespaces most files of the dev network import (21 of its 40 files at the time of writing): addresses, hashes and
// keys are on nearly every line that talks to the chain, the market or the SMS. Others stay in the files that use them.
global using IExecSecrets.Core.Crypto;
