namespace Focus.Silo.Live;

/// <summary><c>Focus:Live</c>: where live data comes from.</summary>
public sealed class LiveOptions
{
    public const string Section = "Focus:Live";

    /// <summary><c>simulator</c> (built in) or <c>rabbitmq</c>.</summary>
    public string Source { get; set; } = "simulator";

    public string Broker { get; set; } = "";

    public long MaxQueueBytes { get; set; } = 64L * 1024 * 1024;
}
