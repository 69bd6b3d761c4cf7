using System.Diagnostics;
using Focus.Analyzer.Sources.RabbitMq;
using RabbitMQ.Client;

namespace Focus.IntegrationTests.Live;

/// <summary>
/// The RabbitMQ broker test.sh started (tests/servers/rabbitmq.sh): its AMQP URI and <c>rabbitmqctl</c> on its node.
/// Missing variables fail the test with a message naming ./test.sh; they never skip it.
/// </summary>
public static class TestBroker
{
    private const string Ctl = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    public static Uri Uri => new(Required("FOCUS_TEST_RABBITMQ"));

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: these tests need the RabbitMQ broker that ./test.sh starts (tests/servers/rabbitmq.sh). " +
                "Run ./test.sh, or start_rabbitmq from that script and export its variables.");

    /// <summary>Runs <c>rabbitmqctl -q -n NODE args</c>; returns its output lines.</summary>
    public static async Task<string[]> Ctl_(params string[] args)
    {
        var start = new ProcessStartInfo(Ctl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = Required("FOCUS_TEST_RABBITMQ_HOME");
        start.ArgumentList.Add("-q");
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(Required("FOCUS_TEST_RABBITMQ_NODE"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary><c>list_queues name arguments ...</c> as rows of tab-separated columns, keyed by queue name.</summary>
    public static async Task<Dictionary<string, string[]>> Queues(params string[] columns)
    {
        var lines = await Ctl_(["list_queues", "--no-table-headers", "name", .. columns]);
        return lines.Select(l => l.Split('\t')).ToDictionary(c => c[0], c => c[1..]);
    }

    /// <summary>Custom exchanges (not <c>amq.*</c> or the default).</summary>
    public static async Task<string[]> CustomExchanges()
    {
        var lines = await Ctl_("list_exchanges", "--no-table-headers", "name", "type", "durable");
        return lines.Where(l => !l.StartsWith("amq.", StringComparison.Ordinal) && !l.StartsWith('\t')).ToArray();
    }

    /// <summary>Routing keys bound from <c>prisma</c> to <paramref name="queue"/>.</summary>
    public static async Task<string[]> Bindings(string queue)
    {
        var lines = await Ctl_("list_bindings", "--no-table-headers", "source_name", "destination_name", "routing_key");
        return lines.Select(l => l.Split('\t')).Where(c => c[0] == PrismaTopology.Exchange && c[1] == queue).Select(c => c[2]).Order().ToArray();
    }

    /// <summary>CPU seconds the broker's Erlang VM has used so far (utime + stime from /proc).</summary>
    public static async Task<double> CpuSeconds()
    {
        var pid = (await Ctl_("eval", "os:getpid().")).Single().Trim('"');
        var fields = (await File.ReadAllTextAsync($"/proc/{pid}/stat")).Split(") ")[1].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // clock ticks (USER_HZ = 100)
    }

    public static async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = Uri, ClientProvidedName = "focus tests" }.CreateConnectionAsync();

    /// <summary>Waits for <paramref name="condition"/> (checked every 200 ms) or fails with <paramref name="what"/>.</summary>
    public static Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        Infrastructure.Polling.Eventually(condition, what, within);
}
