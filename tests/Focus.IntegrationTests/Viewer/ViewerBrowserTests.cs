using System.Net;
using Focus.Analyzer.Sources.Simulated;
using Focus.IntegrationTests.Infrastructure;
using OpenQA.Selenium;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.Viewer;

/// <summary>/viewer/ in headless Chromium against the real service: what a user sees and does.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ViewerBrowserTests(FocusService service)
{
    private HttpClient Http => service.Http;

    /// <summary>Where screenshots go: the test output folder, and FOCUS_VIEWER_SCREENSHOTS too when set (docs/).</summary>
    internal static void KeepScreenshot(Chromium browser, string name)
    {
        browser.SaveScreenshot(Path.Combine(AppContext.BaseDirectory, "artifacts", name));
        if (Environment.GetEnvironmentVariable("FOCUS_VIEWER_SCREENSHOTS") is { Length: > 0 } folder)
            browser.SaveScreenshot(Path.Combine(folder, name));
    }

    [Fact]
    public async Task A_live_tone_is_a_bright_column_at_its_frequency()
    {
        var tone = service.Get<SimulatedLiveSource>().Fiber.Tones.First(t => t.FrequencyHz < 400);
        var channel = (tone.FirstChannel + tone.LastChannel) / 2;
        using var browser = Chromium.Start();
        var page = new ViewerPage(browser, service).Open();
        page.Fill(("view_type", "1"), ("channel_min", $"{channel}"), ("channel_max", $"{channel}"), ("frequency_min", "0"),
            ("frequency_max", "500"), ("nfft", "1024"), ("height", "500"), ("duration", "5"));
        page.Start();
        var jobId = page.WaitForJob();
        try
        {
            page.WaitForLines(150);
            var columns = page.ColumnLuminance(0, 0, 100); // the newest ~100 lines
            var toneColumn = page.ColumnOf(0, tone.FrequencyHz);
            var peak = Enumerable.Range(toneColumn - 2, 5).Max(x => columns[x]);
            foreach (var offsetHz in new[] { -30.0, -20, -12, 12, 20, 30 })
            {
                var neighbour = page.ColumnOf(0, tone.FrequencyHz + offsetHz);
                Assert.True(peak > columns[neighbour] + 30,
                    $"the {tone.FrequencyHz} Hz column (luminance {peak:F0}) is not brighter than {tone.FrequencyHz + offsetHz} Hz ({columns[neighbour]:F0})");
            }
            page.WaitForLines(500); // a full picture for the screenshot
            KeepScreenshot(browser, "viewer.png");
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task A_waterfall_shows_the_moving_source_as_a_diagonal()
    {
        var fiber = service.Get<SimulatedLiveSource>().Fiber;
        var source = fiber.MovingSource!;
        Assert.True(source.ChannelsPerSecond > 5, "the default moving source drives towards higher channels");
        // A wide window around and ahead of the vehicle, clear of the fiber's end (wait for the wrap if it is near).
        double centre;
        var wrapDeadline = DateTime.UtcNow.AddSeconds(30);
        while ((centre = source.CentreChannelAt((long)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * fiber.Prr / 1000))) > fiber.Channels - 560)
        {
            Assert.True(DateTime.UtcNow < wrapDeadline, "the moving source did not wrap");
            await Task.Delay(500);
        }
        var first = Math.Max(1, (int)centre - 150);
        var last = Math.Min(fiber.Channels, first + 700);
        var toneChannels = fiber.Tones.SelectMany(t => Enumerable.Range(t.FirstChannel - 2, t.LastChannel - t.FirstChannel + 5)).ToHashSet();

        using var browser = Chromium.Start();
        var page = new ViewerPage(browser, service).Open();
        page.Fill(("view_type", "2"), ("channel_min", $"{first}"), ("channel_max", $"{last}"), ("height", "1000"));
        page.Start();
        var jobId = page.WaitForJob();
        try
        {
            page.WaitForLines(450); // 4.5 s at 100 lines/s; the picture holds 1000 lines in 480 px
            var candidates = Enumerable.Range(first, last - first + 1).Where(c => !toneChannels.Contains(c)).ToArray();
            var x = page.ColumnsOf(0, candidates.Select(c => (double)c));
            // One frame: lines 0..20 back (now) and lines 300..320 back (3 s earlier), 0.48 px a line.
            var bands = page.ColumnLuminance(0, [(0, 10), (144, 154)]);
            int Brightest(double[] columns) => candidates[Enumerable.Range(0, candidates.Length).MaxBy(i => columns[Math.Clamp(x[i], 0, columns.Length - 1)])];
            var now = Brightest(bands[0]);
            var before = Brightest(bands[1]);
            var expected = source.ChannelsPerSecond * 3;
            KeepScreenshot(browser, "viewer-waterfall.png");
            Assert.True(now - before > expected / 2 && now - before < expected * 2,
                $"the brightest channel moved from {before} to {now} in 3 s; the vehicle drives {expected:F0} channels in that time (window {first}..{last}, centre {centre:F0} at the start)");
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task Two_tabs_on_one_job_both_draw_the_second_attached_from_the_jobs_list()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 100, max: 100, view: 1, nfft: 512, height: 300, duration: 3));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var browser = Chromium.Start();
            var first = new ViewerPage(browser, service).Open($"#job={jobId}");
            first.WaitForLines(30);
            var firstTab = browser.WebDriver.CurrentWindowHandle;

            // The second tab finds the job in the running jobs list and attaches there.
            browser.WebDriver.SwitchTo().NewWindow(WindowType.Tab);
            var second = new ViewerPage(browser, service).Open();
            browser.Until(_ => browser.Find($"#jobs tr[data-job-id='{jobId}'] button.attach") is { Enabled: true } b ? b : null, "the job in the running jobs list")!.Click();
            Assert.Equal(jobId, second.WaitForJob());
            browser.Until(_ => !browser.Find($"#jobs tr[data-job-id='{jobId}'] button.attach").Enabled, "the list to mark the job as watched");
            second.WaitForLines(30);
            await Eventually(async () => (int)(await Http.Metadata(jobId))["connected_clients"]! >= 2, "two connected clients", TimeSpan.FromSeconds(10));
            Assert.Equal(2, (int)(await Http.Metadata(jobId))["connected_clients"]!);

            browser.WebDriver.SwitchTo().Window(firstTab);
            var drawn = browser.Drawn()[0];
            first.WaitForLines(drawn + 30);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task A_bad_value_is_explained_beside_its_field_and_creates_no_job()
    {
        var before = await ViewerPage.ActiveJobs(Http);
        using var browser = Chromium.Start();
        var page = new ViewerPage(browser, service).Open();
        page.Fill(("view_type", "1"), ("channel_min", "12"), ("channel_max", "12"), ("height", "0"));
        page.Start();

        var message = browser.Until(_ => page.ErrorBeside("displayInfo.height") is { Length: > 0 } text ? text : null, "the height's message");
        Assert.Contains("displayInfo.height", message);
        Assert.Contains("0", message);
        Assert.Equal("", page.ErrorBeside("")); // nothing else went wrong
        Assert.Null(browser.Script("return window.focusViewer.job()"));
        Assert.Equal("12", browser.Find("#channel_min").GetDomProperty("value")); // nothing lost from the form
        Assert.Equal("0", browser.Find("#height").GetDomProperty("value"));
        Assert.Equal(before, await ViewerPage.ActiveJobs(Http));

        // A value between fields: the message sits with the pair it concerns.
        page.Fill(("height", "500"), ("channel_min", "20"), ("channel_max", "10"));
        page.Start();
        browser.Until(_ => page.ErrorBeside("channels").Length > 0 || page.ErrorBeside("channels.min").Length > 0 || page.ErrorBeside("channels.max").Length > 0,
            "a message beside the channels");
        Assert.Equal("", page.ErrorBeside("displayInfo.height"));
        Assert.Equal(before, await ViewerPage.ActiveJobs(Http));
    }

    [Fact]
    public async Task Stop_cancels_the_job_says_so_and_frees_its_port()
    {
        using var browser = Chromium.Start();
        var page = new ViewerPage(browser, service).Open();
        page.Fill(("view_type", "1"), ("channel_min", "300"), ("channel_max", "300"), ("height", "300"), ("duration", "3"), ("nfft", "512"));
        page.Start();
        var jobId = page.WaitForJob();
        try
        {
            page.WaitForLines(20);
            var running = await Http.Metadata(jobId);
            var port = (int)running["stream_port"]!;

            // Changing one's mind at the confirmation leaves the job alone.
            browser.Find("#stop").Click();
            browser.Until(d => d.SwitchTo().Alert(), "the confirmation").Dismiss();
            page.WaitForLines(browser.Drawn()[0] + 30);
            Assert.Equal((string)running["state"]!, await ViewerPage.State(Http, jobId));
            Assert.True(browser.Find("#stop").Enabled);

            browser.Find("#stop").Click();
            browser.Until(d => d.SwitchTo().Alert(), "the confirmation").Accept();

            browser.Until(_ => page.Ended.Displayed && page.Ended.GetAttribute("data-code") == "CANCELLED", "the page to say the stream was cancelled");
            Assert.Contains("CANCELLED", page.Ended.Text);
            browser.Until(_ => browser.Find("#state").Text.StartsWith("cancelled"), "the state to read cancelled");
            Assert.Equal("cancelled", await ViewerPage.State(Http, jobId));
            await Eventually(() => FreePorts.CanBind(port), $"port {port} is free after the stop", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50));
        }
        finally
        {
            using var _ = await Http.DeleteAsync($"job/{jobId}");
        }
    }

    [Fact]
    public async Task Leaving_the_page_closes_its_stream_and_leaves_the_job_running()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 40, max: 40, view: 1, nfft: 512, height: 300, duration: 3));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var browser = Chromium.Start();
            var page = new ViewerPage(browser, service).Open($"#job={jobId}");
            page.WaitForLines(30);
            await WaitForClients(jobId, 1);

            browser.WebDriver.Navigate().GoToUrl(service.BaseAddress.ToString());
            await WaitForClients(jobId, 0);
            Assert.Equal("running", await ViewerPage.State(Http, jobId)); // it ends by the idle timeout, as any unread job
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task A_multichannel_job_shows_every_channel_or_the_one_chosen()
    {
        using var browser = Chromium.Start();
        var page = new ViewerPage(browser, service).Open();
        page.Fill(("view_type", "0"), ("channel_min", "10"), ("channel_max", "14"), ("height", "300"), ("duration", "3"), ("nfft", "512"));
        page.Start();
        var jobId = page.WaitForJob();
        try
        {
            string[] Titles() => ((IEnumerable<object>)browser.Script("return window.focusViewer.panels().map(p => p.title)")!).Cast<string>().ToArray();
            browser.Until(_ => browser.Drawn() is { Length: 5 } drawn && drawn.All(d => d >= 20), "five small pictures drawing");
            Assert.Equal(Enumerable.Range(10, 5).Select(c => $"channel {c}"), Titles());
            Assert.True(browser.Find("#stream-choice").Displayed);
            var options = ((IEnumerable<object>)browser.Script("return Array.from(document.getElementById('stream').options).map(o => o.text)")!).Cast<string>();
            Assert.Equal(["all 5 channels", "channel 10", "channel 11", "channel 12", "channel 13", "channel 14"], options);

            var stream = (int)(await Http.Metadata(jobId))["channel_to_stream_index"]!["12"]!;
            page.Fill(("stream", $"{stream}"));
            browser.Until(_ => Titles() is ["channel 12"] && browser.Drawn()[0] >= 20, "channel 12 alone, drawing");
            Assert.Equal(480, browser.Script<int>("return document.querySelector('#plots .picture').height")); // full size, not a small multiple

            page.Fill(("stream", "-1"));
            browser.Until(_ => browser.Drawn() is { Length: 5 } drawn && drawn.All(d => d >= 20), "every channel again");
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // colour limits far above the signal: every line is drawn in one flat colour
    public async Task Pause_keeps_receiving_without_scrolling_and_resume_catches_up(bool flat)
    {
        // What is asserted is what the page knows (its counters, which pixel rows hold lines), never what the
        // signal happens to look like: a picture can be one flat colour (colour limits not settled yet).
        // 100 lines a second into a ring of 1000 lines (10 s) drawn 480 px high: pausing early leaves the lower
        // part of the picture empty, and the lines the pause held back fill it on resume.
        var job = await Http.Configure(FocusApi.LiveBody(min: 60, max: 60, view: 1, nfft: 512, height: 1000, duration: 10));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var browser = Chromium.Start();
            var page = new ViewerPage(browser, service).Open($"#job={jobId}");
            if (flat)
            {
                browser.Script("const auto = document.getElementById('auto_limits'); auto.checked = false; auto.dispatchEvent(new Event('change'));");
                page.Fill(("limit_max", "1001"), ("limit_min", "1000"));
            }
            page.WaitForLines(30);
            browser.Find("#pause").Click();
            long Received() => browser.Script<long>("return window.focusViewer.panels()[0].received");
            int Filled() => page.RowKinds(0).Count(kind => kind != 'e'); // pixel rows showing lines (or gaps)
            var (drawn, received) = (browser.Drawn()[0], Received());
            var capacity = browser.Script<long>("return window.focusViewer.panels()[0].capacity");
            Assert.True(drawn + 200 < capacity, $"{drawn} lines drawn before the pause: the ring of {capacity} is no longer mostly empty");
            var (picture, kinds) = (page.ColumnLuminance(0, 0, 100), page.RowKinds(0));
            var filled = Filled();

            browser.Until(_ => Received() >= received + 100, "lines to keep arriving while paused");
            var receivedPaused = Received();
            Assert.Equal(drawn, browser.Drawn()[0]);
            Assert.Equal(kinds, page.RowKinds(0)); // the picture did not scroll
            Assert.Equal(picture, page.ColumnLuminance(0, 0, 100)); // not a pixel moved
            Assert.True(browser.Find("#resume").Enabled);

            browser.Find("#resume").Click();
            // Resuming paints at once every line the pause held back, not only those arriving from now on.
            var caughtUp = browser.Drawn()[0];
            Assert.True(caughtUp >= receivedPaused, $"on resume {caughtUp} lines drawn, {receivedPaused} received while paused");
            // ... and the picture shows them: its lines reach further down by as many pixel rows (480 px for the ring).
            var rowsPerLine = 480.0 / capacity;
            var expected = filled + (int)((receivedPaused - drawn) * rowsPerLine) - 2;
            browser.Until(_ => Filled() >= expected, $"the picture to show the {receivedPaused - drawn} lines held back ({filled} pixel rows filled before, {expected} expected)");
            page.WaitForLines(caughtUp + 30); // and it goes on drawing
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    private Task WaitForClients(string jobId, int expected)
    {
        var clients = -1;
        return Eventually(async () => (clients = (int)(await Http.Metadata(jobId))["connected_clients"]!) == expected,
            () => $"job {jobId} has {clients} connected clients, not {expected}", TimeSpan.FromSeconds(30));
    }
}

/// <summary>The service under <c>Focus:Gateway:PathBase</c>.</summary>
public sealed class PathBaseViewerService() : FocusService(new Dictionary<string, string?> { ["Focus:Gateway:PathBase"] = "/focus-server" })
{
    protected override string PathBase => "/focus-server";

    protected override int StreamPorts => 20;
}

public sealed class ViewerPathBaseTests(PathBaseViewerService service) : IClassFixture<PathBaseViewerService>
{
    [Fact]
    public async Task The_viewer_works_under_the_path_base()
    {
        using var browser = Chromium.Start();
        browser.WebDriver.Navigate().GoToUrl(new Uri(service.BaseAddress, "viewer").ToString()); // no slash: redirected
        Assert.EndsWith("/focus-server/viewer/", browser.WebDriver.Url);
        var page = new ViewerPage(browser, service).Open();
        page.Fill(("view_type", "1"), ("channel_min", "12"), ("channel_max", "12"), ("height", "300"), ("duration", "3"));
        page.Start();
        var jobId = page.WaitForJob();
        try
        {
            page.WaitForLines(20);
            browser.Until(_ => browser.Find($"#jobs tr[data-job-id='{jobId}']").Displayed, "the job in the running jobs list");
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
        using var root = await service.Http.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains("href=\"/focus-server/viewer/\"", await root.Content.ReadAsStringAsync());
    }
}
