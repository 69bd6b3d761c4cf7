using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Focus.Analyzer.Historic;
using Focus.IntegrationTests.Infrastructure;
using OpenQA.Selenium.Interactions;

namespace Focus.IntegrationTests.Viewer;

/// <summary>
/// A historic window in the viewer: picked on the recordings timeline, played to its end, its hole drawn.
/// The recordings are the sample the service writes when no storage is configured (<see cref="SampleRecordings"/>):
/// 2 minutes, a 1-minute hole, 2 minutes, from midnight UTC, channels 1..16.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed partial class ViewerHistoricTests(FocusService service)
{
    private static readonly int SampleSeconds = (int)(SampleRecordings.FirstPart * 2 + SampleRecordings.Gap).TotalSeconds;

    [Fact]
    public async Task A_window_picked_on_the_timeline_shows_its_hole_and_its_end()
    {
        var anchor = await SampleStart();
        using var browser = Chromium.Start();
        var page = new ViewerPage(browser, service).Open();
        // 400 s over 1000 lines: a line every 0.4 s, so the whole 300 s window (about 750 lines) stays in the picture.
        page.Fill(("view_type", "1"), ("channel_min", "12"), ("channel_max", "12"), ("frequency_min", "0"), ("frequency_max", "500"),
            ("nfft", "1024"), ("height", "1000"), ("duration", "400"));
        browser.Find("#mode_historic").Click();
        page.Fill(("timeline_day", anchor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        browser.Until(_ => RecordingsNote().IsMatch(browser.Find("#timeline-note").Text), "the day's recordings on the timeline");

        // At a day's width the sample is about a pixel: a drag from its start to a few pixels past it picks exactly it.
        var width = browser.Script<double>("return document.getElementById('timeline').clientWidth");
        var end = (int)Math.Ceiling(SampleSeconds / 86_400.0 * width);
        page.DragOnTimeline(1, end + 2);
        Assert.Equal(anchor.ToUnixTimeSeconds(), page.UtcField("start_time"));
        Assert.Equal(anchor.ToUnixTimeSeconds() + SampleSeconds, page.UtcField("end_time"));

        page.Start();
        var jobId = page.WaitForJob();
        try
        {
            var job = await ViewerPage.Job(service.Http, jobId);
            Assert.Equal("historic", (string)job["mode"]!);
            browser.Until(_ => page.Ended.Displayed && page.Ended.GetAttribute("data-code") == "OK", "the end of the window", TimeSpan.FromSeconds(60));
            Assert.Contains("END OF WINDOW", page.Ended.Text);
            browser.Until(_ => browser.Drawn()[0] == browser.Script<long>("return window.focusViewer.panels()[0].received"), "every line received to be drawn");
            Assert.Equal(1, browser.Script<long>("return window.focusViewer.panels()[0].holes"));
            // The page's counters are refreshed on its next status tick, which may come after the last line is drawn.
            browser.Until(_ => browser.Find("#holes").Text == "1", "the page to show one hole");

            // Newest at the top: the second part, the hole in the legend's "no data" grey, the first part, then empty rows.
            var kinds = page.RowKinds(0).TrimEnd('e');
            var holes = HoleRows().Matches(kinds);
            Assert.True(holes.Count == 1, $"one grey band expected, found {holes.Count} in the picture's rows: {kinds}");
            var band = holes[0];
            var linesDt = (double)job["lines_dt"]!;
            var frame = (int)job["internal_nfft"]! / (double)job["metadata"]!["prr"]!;
            var pixelsPerLine = browser.Script<double>("return document.querySelector('#plots .picture').height") / 1000;
            double Pixels(double seconds) => seconds / linesDt * pixelsPerLine;
            var gap = SampleRecordings.Gap.TotalSeconds;
            Assert.True(band.Length >= Pixels(gap) - 2 && band.Length <= Pixels(gap + frame) + 2,
                $"the hole is {band.Length} px; {gap} s (plus up to a {frame} s frame) at {linesDt} s a line is {Pixels(gap):F0}-{Pixels(gap + frame):F0} px");
            var part = Pixels(SampleRecordings.FirstPart.TotalSeconds - frame);
            var above = kinds[..band.Index];
            var below = kinds[(band.Index + band.Length)..];
            Assert.True(above.Count(k => k == 'v') > part * 0.8, $"the second part above the hole: {above.Count(k => k == 'v')} px of values, about {part:F0} expected");
            Assert.True(below.Count(k => k == 'v') > part * 0.8, $"the first part below the hole: {below.Count(k => k == 'v')} px of values, about {part:F0} expected");

            // The read-out over the hole says so, at a time inside it.
            var picture = browser.Find("#plots .picture");
            browser.Script("arguments[0].scrollIntoView({block: 'center'})", picture);
            new Actions(browser.WebDriver).MoveToElement(picture, 0, band.Index + band.Length / 2 - picture.Size.Height / 2).Perform();
            var readout = browser.Until(_ => browser.Find("#readout").Text is var t && t.Contains("no data") ? t : null, "the read-out over the hole");
            var at = TimeSpan.ParseExact(ReadoutTime().Match(readout!).Groups[1].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
            Assert.InRange(at.TotalSeconds, SampleRecordings.FirstPart.TotalSeconds - 1, (SampleRecordings.FirstPart + SampleRecordings.Gap).TotalSeconds + frame);

            browser.Until(_ => browser.Find("#state").Text.StartsWith("completed", StringComparison.Ordinal), "the page to show the job completed");
            Assert.Equal("completed", await ViewerPage.State(service.Http, jobId));
            ViewerBrowserTests.KeepScreenshot(browser, "viewer-historic.png");
        }
        finally
        {
            using var _ = await service.Http.DeleteAsync($"job/{jobId}");
        }
    }

    /// <summary>Midnight UTC where the service's sample starts (today's, or yesterday's in the first minutes of a day).</summary>
    private async Task<DateTimeOffset> SampleStart()
    {
        var today = SampleRecordings.Anchor(DateTimeOffset.UtcNow);
        foreach (var day in new[] { today, today.AddDays(-1) })
        {
            using var response = await service.Http.PostAsJsonAsync("recordings_in_time_range",
                new { start_time = day.ToUnixTimeSeconds(), end_time = day.ToUnixTimeSeconds() + SampleSeconds });
            var spans = (await response.Json())["recordings"]!.AsArray().Select(s => ((long)s![0]!, (long)s[1]!)).ToArray();
            if (spans.Length == 0) continue;
            var gapStart = day.ToUnixTimeSeconds() + (long)SampleRecordings.FirstPart.TotalSeconds;
            Assert.DoesNotContain(spans, s => s.Item1 < gapStart + (long)SampleRecordings.Gap.TotalSeconds && s.Item2 > gapStart); // the hole is there
            return day;
        }
        Assert.Fail("the service's sample recording is not on storage (SampleRecordings writes it at start)");
        return default;
    }

    [GeneratedRegex(@"^\d+ recording")]
    private static partial Regex RecordingsNote();

    [GeneratedRegex("h+")]
    private static partial Regex HoleRows();

    [GeneratedRegex(@"(\d\d:\d\d:\d\d\.\d\d\d) UTC")]
    private static partial Regex ReadoutTime();
}
