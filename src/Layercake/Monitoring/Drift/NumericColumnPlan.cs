using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;
using Layercake.Runtime.Profiles;

namespace Layercake.Monitoring.Drift;

/// <summary>
/// A numeric input to test for drift: its training summary, its training sample sorted once, and its test. A date
/// part (<c>date.month</c>) also names its date column, the part, and the training rows it was counted on.
/// </summary>
internal sealed record NumericColumnPlan(
    string Name, NumericSummary Summary, double[] SortedReference, DriftRule Rule, long? ReferenceCount = null, string? DateColumn = null,
        DatePart? Part = null);
