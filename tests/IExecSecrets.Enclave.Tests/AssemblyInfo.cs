// One Docker engine on a 2-core machine: image builds in parallel only slow each other down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
