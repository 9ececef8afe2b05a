namespace Layercake.Runtime.Protocols;

/// <summary>Open Inference Protocol v2 tensor datatypes: what a feature's tensor may be sent as, and what outputs are written as.</summary>
public static class TensorDatatypes
{
    /// <summary>Strings: text and categorical features, and predicted labels.</summary>
    public const string Bytes = "BYTES";
    public const string Fp32 = "FP32";
    public const string Bool = "BOOL";
    public const string Int64 = "INT64";

    private static readonly HashSet<string> Numeric =
        ["FP16", Fp32, "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"];

    /// <summary>The numeric datatypes, for readers that match a datatype without decoding it.</summary>
    public static IReadOnlyCollection<string> NumericTypes => Numeric;

    /// <summary>Any numeric datatype is accepted for a numeric feature: values are checked one by one to fit float32.</summary>
    public static bool IsNumeric(string datatype) => Numeric.Contains(datatype);
}
