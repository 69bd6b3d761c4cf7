namespace Focus.Analyzer.Sources;

/// <summary>The values of <c>Focus:Live:Source</c> (configuration spells them in lower case).</summary>
public enum LiveSource
{
    /// <summary>The built-in simulated fiber.</summary>
    Simulator,

    /// <summary>The recorder's RabbitMQ exchange.</summary>
    RabbitMq,
}
