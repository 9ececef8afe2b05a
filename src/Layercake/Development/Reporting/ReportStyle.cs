namespace Layercake.Development.Reporting;

/// <summary>The one stylesheet of the HTML reports, so the training and compare reports look alike.</summary>
internal static class ReportStyle
{
    /// <remarks>
    /// Figures never wrap ("0.7242 ± 0.0238" on one line); a table wider than the window scrolls sideways by itself
    /// instead of widening the page, and the page uses up to 1,180 px so a 1,200 px window is not 40 % empty.
    /// </remarks>
    public const string Css = "body{font-family:sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}"
        + "table{border-collapse:collapse;margin-bottom:1em;display:block;max-width:100%;overflow-x:auto}"
        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:not(:first-child),th{white-space:nowrap}"
        + "td:first-child,th:first-child{text-align:left}.fail{color:#b00;font-weight:bold}.pass{color:#070}"
        + ".baseline{color:#666;font-style:italic}.warn{color:#a60}img{max-width:100%}";
}
