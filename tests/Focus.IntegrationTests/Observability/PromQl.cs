using System.Text.RegularExpressions;

namespace Focus.IntegrationTests.Observability;

/// <summary>The metric names a PromQL expression reads (what the dashboard's and the rules' expressions need scraped).</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = Strings().Replace(expr, "\"\"");
        text = Matchers().Replace(text, " ");          // {label="value", ...}
        text = Ranges().Replace(text, " ");            // [5m], [$__rate_interval]
        text = Groupings().Replace(text, " ");         // by (a, b), without (...), on (...), ignoring (...)
        return Identifiers().Matches(text)
            .Where(m => !Keywords.Contains(m.Value) && !IsFunction(text, m))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static bool IsFunction(string text, Match m)
    {
        var after = m.Index + m.Length;
        while (after < text.Length && text[after] == ' ') after++;
        return after < text.Length && text[after] == '(';
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifiers();
}
