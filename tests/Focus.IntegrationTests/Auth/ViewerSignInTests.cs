using Focus.IntegrationTests.Viewer;

namespace Focus.IntegrationTests.Auth;

/// <summary>The viewer in headless Chromium against the service in apikey mode: refused plainly, then signed in.</summary>
[Collection(ApiKeyCollection.Name)]
public sealed class ViewerSignInTests(ApiKeyService service)
{
    [Fact]
    public async Task The_viewer_says_401_plainly_then_signs_in_starts_a_job_draws_it_and_shows_its_owner()
    {
        using var browser = Chromium.Start();
        var page = new ViewerPage(browser, service);
        browser.WebDriver.Navigate().GoToUrl(page.Url);
        browser.Until(_ => browser.Find("#auth-problem") is { Displayed: true } p && p.Text.Contains("401") ? p : null, "the page to say it is not signed in");

        page.Fill(("signin_kind", "apikey"), ("signin_value", ApiKeyService.AliceKey));
        browser.Find("#signin_button").Click();
        browser.Until(_ => browser.Script("return window.focusViewer.fiber()") is not null, "the page to read the fiber once signed in");
        Assert.False(browser.Find("#auth-problem").Displayed);
        Assert.DoesNotContain(ApiKeyService.AliceKey, browser.WebDriver.Url);

        page.Fill(("view_type", "1"), ("channel_min", "12"), ("channel_max", "12"), ("frequency_min", "0"),
            ("frequency_max", "500"), ("nfft", "1024"), ("height", "500"), ("duration", "5"));
        page.Start();
        var jobId = page.WaitForJob();
        try
        {
            page.WaitForLines(50); // through the relay, which checked alice against the job's owner
            browser.Until(_ => browser.Find($"#jobs tr[data-job-id='{jobId}'] td:nth-child(5)") is { Text: "alice" } cell ? cell : null,
                "the job's owner in the running jobs list");
        }
        finally
        {
            await service.Http.DeleteAsync($"job/{jobId}");
        }
    }
}
