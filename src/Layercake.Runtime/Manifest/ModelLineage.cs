namespace Layercake.Runtime.Manifest;

/// <summary>What a model version was made from, enough to make it again.</summary>
public sealed record ModelLineage(
    string DataPath,
    string DataSha256,
    string PipelinePath,
    string PipelineSha256,
    string GitCommit,
    bool GitDirty,
    int Seed);
