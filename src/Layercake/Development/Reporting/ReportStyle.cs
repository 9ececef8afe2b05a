namespace Layercake.Development.Reporting;

/// <summary>The one stylesheet of the HTML reports, so the training and compare reports look alike.</summary>
internal static class ReportStyle
{
    public const string Css = "body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.fail{color:#b00;font-weight:bold}.pass{color:#070}.baseline{color:#666;font-style:italic}.warn{color:#a60}img{max-width:100%}";
}
