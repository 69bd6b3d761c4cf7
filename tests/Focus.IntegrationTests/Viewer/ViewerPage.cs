using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Focus.IntegrationTests.Viewer;

/// <summary>What a user does on /viewer/: fill the form, start, attach, read the picture.</summary>
public sealed class ViewerPage(Chromium browser, FocusService service)
{
    public Chromium Browser => browser;

    public Uri Url => new(service.BaseAddress, "viewer/");

    public ViewerPage Open(string fragment = "")
    {
        browser.WebDriver.Navigate().GoToUrl(Url + fragment);
        browser.Until(_ => browser.Script("return window.focusViewer && window.focusViewer.fiber()") is not null, "the page to read the fiber");
        return this;
    }

    /// <summary>Sets form fields by id (select, number, text); blank clears.</summary>
    public ViewerPage Fill(params (string Id, string Value)[] fields)
    {
        foreach (var (id, value) in fields)
            browser.Script("const e = document.getElementById(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change'));", id, value);
        return this;
    }

    public void Start() => browser.Find("#start").Click();

    /// <summary>The job the page is attached to, once it is.</summary>
    public string WaitForJob() =>
        browser.Until(_ => browser.Script("const j = window.focusViewer.job(); return j && j.job_id;") as string, "the page to attach to a job")!;

    public void WaitForLines(long lines, int panel = 0) =>
        browser.Until(_ => browser.Drawn() is { Length: > 0 } drawn && drawn.Length > panel && drawn[panel] >= lines, $"{lines} lines drawn on picture {panel}");

    /// <summary>Mean luminance of each pixel column of a picture over pixel rows [top, bottom).</summary>
    public double[] ColumnLuminance(int panel, int top, int bottom) => ColumnLuminance(panel, [(top, bottom)])[0];

    /// <summary>Mean luminance of each pixel column over several bands of pixel rows, all read from one frame.</summary>
    public double[][] ColumnLuminance(int panel, (int Top, int Bottom)[] bands)
    {
        var result = (IEnumerable<object>)browser.Script("""
            const c = document.querySelectorAll('#plots .picture')[arguments[0]];
            const w = c.width, context = c.getContext('2d');
            return arguments[1].map(([top, bottom]) => {
              const h = bottom - top, d = context.getImageData(0, top, w, h).data, out = new Array(w).fill(0);
              for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
                const i = (y * w + x) * 4;
                out[x] += 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
              }
              return out.map(v => v / h);
            });
            """, panel, bands.Select(b => new object[] { b.Top, b.Bottom }).ToArray())!;
        return result.Select(band => ((IEnumerable<object>)band).Select(Convert.ToDouble).ToArray()).ToArray();
    }

    /// <summary>The pixel columns of several frequencies or channels, read in one call.</summary>
    public int[] ColumnsOf(int panel, IEnumerable<double> values) =>
        ((IEnumerable<object>)browser.Script(
            "const c = document.querySelectorAll('#plots .picture')[arguments[0]]; return arguments[1].map(v => Math.floor(window.focusViewer.xOf(arguments[0], v) * c.width / c.clientWidth));",
            panel, values.ToArray())!).Select(Convert.ToInt32).ToArray();

    /// <summary>The pixel column of a frequency (spectral pictures) or channel (WATERFALL).</summary>
    public int ColumnOf(int panel, double value) =>
        (int)Math.Floor(browser.Script<double>("const c = document.querySelectorAll('#plots .picture')[arguments[0]]; return window.focusViewer.xOf(arguments[0], arguments[1]) * c.width / c.clientWidth;", panel, value));

    /// <summary>
    /// What each pixel row of a picture shows, top to bottom, judged against the legend's swatches:
    /// 'h' a hole (the "no data" colour), 'd' dropped lines, 'e' empty (nothing drawn yet), 'v' values,
    /// '?' a mixed row.
    /// </summary>
    public string RowKinds(int panel) => (string)browser.Script("""
        const c = document.querySelectorAll('#plots .picture')[arguments[0]];
        const rgb = css => getComputedStyle(document.querySelector(css)).backgroundColor.match(/\d+/g).slice(0, 3).map(Number);
        const hole = rgb('.swatch.hole'), dropped = rgb('.swatch.dropped');
        const w = c.width, h = c.height, d = c.getContext('2d').getImageData(0, 0, w, h).data;
        const is = (i, [r, g, b]) => d[i + 3] === 255 && Math.abs(d[i] - r) <= 4 && Math.abs(d[i + 1] - g) <= 4 && Math.abs(d[i + 2] - b) <= 4;
        let kinds = '';
        for (let y = 0; y < h; y++) {
          let holes = 0, drops = 0, empty = 0;
          for (let x = 0; x < w; x++) {
            const i = (y * w + x) * 4;
            if (d[i + 3] === 0) empty++; else if (is(i, hole)) holes++; else if (is(i, dropped)) drops++;
          }
          const most = 0.98 * w;
          kinds += holes >= most ? 'h' : drops >= most ? 'd' : empty >= most ? 'e' : holes + drops + empty <= w - most ? 'v' : '?';
        }
        return kinds;
        """, panel)!;

    /// <summary>Drags across the recordings timeline from <paramref name="fromX"/> to <paramref name="toX"/> (CSS pixels from its left).</summary>
    public void DragOnTimeline(int fromX, int toX)
    {
        var strip = browser.Find("#timeline");
        browser.Script("arguments[0].scrollIntoView({block: 'center'})", strip);
        var centreX = strip.Size.Width / 2;
        new Actions(browser.WebDriver)
            .MoveToElement(strip, fromX - centreX, 0) // W3C actions: offsets from the element's centre
            .ClickAndHold()
            .MoveToElement(strip, (fromX + toX) / 2 - centreX, 0)
            .MoveToElement(strip, toX - centreX, 0)
            .Release()
            .Perform();
    }

    /// <summary>A datetime-local field read as UTC, as Unix seconds.</summary>
    public long UtcField(string id) =>
        DateTimeOffset.Parse(browser.Find($"#{id}").GetDomProperty("value") + "Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();

    public string ErrorBeside(string field) => browser.Find($"[data-error-for=\"{field}\"]").Text;

    public static async Task<int> ActiveJobs(HttpClient http)
    {
        using var response = await http.GetAsync("jobs");
        return (await response.Json())["jobs"]!.AsArray().Count;
    }

    public static async Task<string> State(HttpClient http, string jobId) => (string)(await http.Metadata(jobId))["state"]!;

    public static async Task<JsonObject> Job(HttpClient http, string jobId) => await http.Metadata(jobId);

    public IWebElement Ended => browser.Find("#ended");
}
