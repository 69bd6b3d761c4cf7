using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Focus.IntegrationTests.Viewer;

/// <summary>
/// Debian's headless Chromium driven by its chromedriver (packages chromium and chromium-driver,
/// which ./test.sh installs): no browser download, no connection off the machine.
/// </summary>
public sealed class Chromium : IDisposable
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _profile;

    private Chromium(ChromeDriver driver, string profile)
    {
        WebDriver = driver;
        _profile = profile;
    }

    public ChromeDriver WebDriver { get; }

    public static Chromium Start(int width = 1400, int height = 1000)
    {
        Assert.True(File.Exists(Browser) && File.Exists(Driver),
            $"{Browser} and {Driver} are needed by the viewer's browser tests: run ./test.sh (it installs Debian's chromium and chromium-driver).");
        var profile = Directory.CreateTempSubdirectory("focus-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows", $"--window-size={width},{height}", $"--user-data-dir={profile}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new Chromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile);
    }

    public IWebElement Find(string css) => WebDriver.FindElement(By.CssSelector(css));

    public object? Script(string script, params object[] args) => ((IJavaScriptExecutor)WebDriver).ExecuteScript(script, args);

    public T Script<T>(string script, params object[] args) => (T)Convert.ChangeType(Script(script, args)!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits for a condition in the page, failing with <paramref name="what"/> and the page's state.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, TimeSpan? deadline = null)
    {
        var wait = new WebDriverWait(WebDriver, deadline ?? Deadline) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"timed out waiting for {what}. Page: {Describe()}");
            throw;
        }
    }

    /// <summary>Lines drawn so far by each picture of the page.</summary>
    public long[] Drawn() =>
        ((IEnumerable<object>)Script("return window.focusViewer.panels().map(p => p.drawn)")!).Select(Convert.ToInt64).ToArray();

    public string Describe()
    {
        try
        {
            var state = Script("return JSON.stringify({ended: document.getElementById('ended').textContent, state: document.getElementById('state').textContent, panels: window.focusViewer && window.focusViewer.panels(), errors: Array.from(document.querySelectorAll('[data-error-for]')).map(e => e.textContent).filter(t => t)})");
            var log = string.Join(" | ", WebDriver.Manage().Logs.GetLog(LogType.Browser).Select(l => $"{l.Level}: {l.Message}"));
            return $"{state}; console: {log}";
        }
        catch (WebDriverException e)
        {
            return $"(page not readable: {e.Message})";
        }
    }

    public void SaveScreenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        WebDriver.GetScreenshot().SaveAsFile(path);
    }

    public void Dispose()
    {
        try
        {
            WebDriver.Quit();
        }
        finally
        {
            WebDriver.Dispose();
            try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
        }
    }
}
