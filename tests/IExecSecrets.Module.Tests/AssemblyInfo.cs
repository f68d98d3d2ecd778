using Xunit;

// The tests set $env:PSModulePath (a process-wide variable) per scenario: with and without SecretManagement.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
