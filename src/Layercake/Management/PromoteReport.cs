using Layercake.Deployment;
using Layercake.Management.Promotion;

namespace Layercake.Management;

/// <summary>A promotion: why the candidate was cleared, and its deployment.</summary>
public sealed record PromoteReport(PromotionDecision Decision, DeployReport Deployment)
{
    /// <summary>The job summary's lines: the deployment, then the comparison that allowed it.</summary>
    public IReadOnlyList<string> Markdown => [Deployment.Markdown, $"Champion/challenger: {Decision.Comparison.Describe()}"];
}
