using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Features;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Categories;

namespace Layercake.Development.Data.Fitting;

/// <summary>
/// Chooses a categorical column's encoding from its declaration and its training values: one-hot while it has at
/// most <c>max_categories</c> distinct values, else its most frequent values plus <see cref="CategoryEncoding.Other"/>;
/// <c>encoding:</c> overrides either way. Null means plain one-hot.
/// </summary>
internal static class CategoryEncodingFitter
{
    public static CategoryEncoding? Fit(CategoryEncodingSpec? declared, int defaultMax, IReadOnlyList<string> filled)
    {
        switch (declared?.Choice)
        {
            case CategoryEncodingChoice.OneHot:
                return null;
            case CategoryEncodingChoice.Hash:
                return new CategoryEncoding(CategoryEncodingMethod.Hash, null, declared.Buckets ?? CategoryEncodingSpec.DefaultBuckets);
        }

        var max = declared?.MaxCategories ?? defaultMax;
        var counts = ValueCounts.Of(filled);
        if (declared?.Choice is null && counts.Length <= max)
        {
            return null;
        }

        // Most frequent first; ties in ordinal order, so the same data always keeps the same levels.
        var levels = counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).Take(max).Select(c => c.Value)
            .ToArray();
        return new CategoryEncoding(CategoryEncodingMethod.TopK, levels, null);
    }
}
