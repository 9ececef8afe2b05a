using Cake.Common;
using Layercake.Development.Data;

namespace Layercake.Build;

/// <summary>
/// Before the first task, when Prepare is among them: the data file or the query's connection variable must be there,
/// so a wrong path fails in a second naming the pipeline line or the argument, not minutes later as a bare I/O error.
/// </summary>
internal static class DataInputs
{
    public static void Ensure(BuildContext context)
    {
        try
        {
            DataInputCheck.Ensure(context.Spec);
        }
        catch (DataFileNotFoundException e)
        {
            var given = context.Argument<string?>("data", null) ?? e.Given;
            throw new ArgumentException($"--data={given}: no such file ({e.Explanation})", e);
        }
    }
}
