using RabbitMQ.Client;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// The names and arguments of CONTRACT §3: one custom exchange <c>prisma</c> (topic, durable), data keys
/// <c>recorder.data.&lt;block&gt;</c>, metadata <c>Prpcast.Info</c>, commands <c>baby_analyzer.commands.{job}</c>,
/// a job's queue <c>{job}_live</c>, malformed commands into <c>prisma_dlq</c> via <c>dlq.{job}</c>.
/// </summary>
public static class PrismaTopology
{
    public const string Exchange = "prisma";
    public const string InfoRoutingKey = "Prpcast.Info";
    public const string DeadLetterQueue = "prisma_dlq";
    public const string DeadLetterBinding = "dlq.#";
    public const int DeadLetterMaxLength = 10_000;
    public const int DefaultBlockSize = 64;

    private const string DataPrefix = "recorder.data.";
    private const string CommandPrefix = "baby_analyzer.commands.";

    public static string DataRoutingKey(int block) => DataPrefix + block.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string CommandRoutingKey(string jobId) => CommandPrefix + jobId;

    public static string DeadLetterRoutingKey(string jobId) => "dlq." + jobId;

    public static string JobQueue(string jobId) => jobId + "_live";

    /// <summary>The block of 1-based <paramref name="channel"/>: <c>(channel - 1) / blockSize</c>.</summary>
    public static int BlockOf(int channel, int blockSize) => (channel - 1) / blockSize;

    /// <summary>Exactly the blocks holding channels <paramref name="first"/>..<paramref name="last"/>.</summary>
    public static IReadOnlyList<int> Blocks(int first, int last, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var from = BlockOf(first, blockSize);
        var to = BlockOf(last, blockSize);
        return Enumerable.Range(from, to - from + 1).ToArray();
    }

    /// <summary>The block a data routing key names, or -1.</summary>
    public static int ParseDataRoutingKey(string routingKey) =>
        routingKey.StartsWith(DataPrefix, StringComparison.Ordinal)
        && int.TryParse(routingKey.AsSpan(DataPrefix.Length), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var block)
            ? block
            : -1;

    public static bool IsCommandRoutingKey(string routingKey) => routingKey.StartsWith(CommandPrefix, StringComparison.Ordinal);

    /// <summary>A job queue's arguments: bounded in bytes, live prefers the newest data, no dead-lettering.</summary>
    public static Dictionary<string, object?> JobQueueArguments(long maxQueueBytes) => new()
    {
        ["x-max-length-bytes"] = maxQueueBytes,
        ["x-overflow"] = "drop-head",
    };

    /// <summary>Declares <c>prisma</c> as the recorder does (idempotent: same type and flags).</summary>
    public static Task DeclareExchangeAsync(IChannel channel, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false,
            arguments: null, passive: false, noWait: false, cancellationToken: cancellationToken);

    /// <summary>The one bounded queue of malformed commands, bound to <c>dlq.#</c> on <c>prisma</c>.</summary>
    public static async Task DeclareDeadLetterQueueAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.QueueDeclareAsync(DeadLetterQueue, durable: false, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = DeadLetterMaxLength, ["x-overflow"] = "drop-head" },
            cancellationToken: cancellationToken);
        await channel.QueueBindAsync(DeadLetterQueue, Exchange, DeadLetterBinding, cancellationToken: cancellationToken);
    }
}
