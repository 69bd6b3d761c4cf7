namespace Focus.Gateway;

/// <summary><c>Focus:Gateway</c>: where the REST surface lives and who may call it from a browser.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Focus:Gateway";

    /// <summary>A prefix for every route, e.g. <c>/focus-server</c>; empty for none.</summary>
    public string PathBase { get; set; } = "";

    /// <summary>Origins allowed by CORS; <c>*</c> allows all (the default).</summary>
    public string[] CorsOrigins { get; set; } = ["*"];

    /// <summary>The largest request body accepted (CONTRACT: 1 MiB); larger is 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a grain call from the gateway may take before the request fails with 503.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
