using System.Globalization;
using System.Net;
using System.Text;

namespace Focus.Gateway.Apis;

/// <summary>
/// A self-contained HTML page drawing recordings of the last days on a timeline (SVG, no scripts
/// or outside assets), so gaps in storage are visible at a glance, with the spans and gaps listed below.
/// </summary>
internal static class RecordingsTimelinePage
{
    private const int Days = 7;

    /// <summary>How far back the page looks.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromDays(Days);
    private const int Width = 1000;
    private const int RowHeight = 28;

    /// <param name="recordings">Spans as epoch seconds; end -1 while still being written.</param>
    public static string Render(IReadOnlyList<(long Start, long End)> recordings, DateTimeOffset now)
    {
        var to = now.ToUnixTimeSeconds();
        var from = to - Days * 86400L;
        double X(long t) => Math.Clamp((t - from) * (double)Width / (to - from), 0, Width);

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Focus recordings timeline</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em;color:#222}svg{background:#f6f6f6;border:1px solid #ccc}")
            .Append(".rec{fill:#2b7bb9}.live{fill:#3aa655}.day{stroke:#bbb;stroke-width:1}.lbl{font-size:11px;fill:#555}</style></head><body>")
            .Append("<h1>Recordings, last ").Append(Days).Append(" days</h1>")
            .Append("<p>").Append(recordings.Count).Append(" recording(s) overlap the window; gaps are blank.</p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"lbl\">{WebUtility.HtmlEncode(now.UtcDateTime.AddDays(-Days).ToString("u", CultureInfo.InvariantCulture))} – {WebUtility.HtmlEncode(now.UtcDateTime.ToString("u", CultureInfo.InvariantCulture))} (UTC)</p>");
        html.Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{RowHeight + 20}\" role=\"img\" aria-label=\"recordings timeline\">");
        for (var d = 0; d <= Days; d++)
        {
            var t = from + d * 86400L;
            var x = X(t);
            var label = WebUtility.HtmlEncode(DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("MM-dd", CultureInfo.InvariantCulture));
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"day\" x1=\"{x:F1}\" y1=\"0\" x2=\"{x:F1}\" y2=\"{RowHeight}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text class=\"lbl\" x=\"{Math.Min(x + 2, Width - 30):F1}\" y=\"{RowHeight + 14}\">{label}</text>");
        }
        foreach (var (start, end) in recordings)
        {
            var live = end < 0;
            var x0 = X(start);
            var x1 = X(live ? to : end);
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"{(live ? "live" : "rec")}\" x=\"{x0:F1}\" y=\"4\" width=\"{Math.Max(1, x1 - x0):F1}\" height=\"{RowHeight - 8}\"><title>{start} – {(live ? "recording" : end.ToString(CultureInfo.InvariantCulture))}</title></rect>");
        }
        html.Append("</svg>");
        if (recordings.Count == 0)
            html.Append("<p><em>No recordings in the last ").Append(Days).Append(" days.</em></p>");
        else
            AppendTable(html, recordings);
        return html.Append("</body></html>").ToString();
    }

    /// <summary>The spans and the gaps between them, in words, under the drawing.</summary>
    private static void AppendTable(StringBuilder html, IReadOnlyList<(long Start, long End)> recordings)
    {
        static string At(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        html.Append("<table><tr><th>start (UTC)</th><th>end (UTC)</th><th>gap before</th></tr>");
        long? previousEnd = null;
        foreach (var (start, end) in recordings.OrderBy(r => r.Start))
        {
            var gap = previousEnd is { } p && start > p ? TimeSpan.FromSeconds(start - p).ToString() : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{At(start)}</td><td>{(end < 0 ? "recording" : At(end))}</td><td>{gap}</td></tr>");
            previousEnd = end < 0 ? long.MaxValue : Math.Max(previousEnd ?? long.MinValue, end);
        }
        html.Append("</table>");
    }
}
