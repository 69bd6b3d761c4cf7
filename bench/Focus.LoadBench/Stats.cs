namespace Focus.LoadBench;

internal static class Stats
{
    /// <summary>Nearest-rank percentile (p in 0..100) of the values; NaN when empty.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    public static string F(double v, string format = "0.00") =>
        double.IsNaN(v) ? "n/a" : v.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    public static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"p50 / p95 / p99 / max (n)" in milliseconds.</summary>
    public static string Summary(IReadOnlyCollection<double> ms, bool p99 = true) =>
        ms.Count == 0 ? "n/a" : p99
            ? $"{Ms(Percentile(ms, 50))} / {Ms(Percentile(ms, 95))} / {Ms(Percentile(ms, 99))} / {Ms(ms.Max())}"
            : $"{Ms(Percentile(ms, 50))} / {Ms(Percentile(ms, 95))} / {Ms(ms.Max())}";
}
