using Focus.IntegrationTests.Infrastructure;
using Focus.IntegrationTests.Viewer;
using OpenQA.Selenium;

namespace Focus.IntegrationTests.Observability;

/// <summary>
/// What an operator looks at: the Orleans dashboard of the running service with live jobs, in Debian's headless
/// Chromium. The screenshot is the README's (docs/orleans-dashboard.png, written there when
/// FOCUS_VIEWER_SCREENSHOTS names docs/, like the viewer's).
/// </summary>
public sealed class DashboardScreenshotTests(FocusService service) : IClassFixture<FocusService>
{
    private const int Jobs = 12;

    [Fact]
    public async Task The_Orleans_dashboard_shows_the_jobs_grains_while_jobs_run()
    {
        var jobs = new List<string>();
        for (var i = 0; i < Jobs; i++)
            jobs.Add((string)(await service.Http.Configure(FocusApi.LiveBody(min: 1 + i * 10, max: 5 + i * 10)))["job_id"]!);
        try
        {
            using var browser = Chromium.Start(1400, 1000);
            browser.WebDriver.Navigate().GoToUrl(new Uri(service.BaseAddress, "dashboard/"));
            // The overview counts the activations of the cluster; the jobs' grains are among them once it polled.
            browser.Until(d => d.FindElement(By.TagName("body")).Text.Contains("Silo", StringComparison.OrdinalIgnoreCase), "the dashboard's overview");
            await Task.Delay(TimeSpan.FromSeconds(6)); // a few polls: the charts draw their first points
            browser.WebDriver.Navigate().GoToUrl(new Uri(service.BaseAddress, "dashboard/#/grains"));
            browser.Until(d => d.FindElement(By.TagName("body")).Text.Contains("JobGrain", StringComparison.Ordinal), "JobGrain in the dashboard's grain list");
            await Task.Delay(TimeSpan.FromSeconds(3));
            ViewerBrowserTests.KeepScreenshot(browser, "orleans-dashboard.png");
            Assert.Contains("AnalyzerWorkerGrain", browser.Find("body").Text, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var job in jobs) await service.Http.Delete(job);
        }
    }
}
