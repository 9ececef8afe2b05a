namespace Layercake.Development;

/// <summary>Where each stage of one pipeline writes under <c>artifacts/</c>.</summary>
public sealed record ArtifactLayout(string Root, string Pipeline)
{
    public string PipelineRoot => Path.Combine(Root, Pipeline);
    public string Prepare => Path.Combine(PipelineRoot, "prepare");
    public string Train => Path.Combine(PipelineRoot, "train");
    public string Evaluate => Path.Combine(PipelineRoot, "evaluate");
    public string Package => Path.Combine(PipelineRoot, "package");
}
