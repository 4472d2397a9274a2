// Tests change process-wide environment variables (AWS_*, HOME): they run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
