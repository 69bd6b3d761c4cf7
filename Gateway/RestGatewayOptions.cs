namespace Focus.Gateway;

/// <summary>
/// <c>Focus:Gateway</c>: where the REST surface lives and who may call it from a browser. Named apart from Orleans'
/// <c>GatewayOptions</c> (the client's gateway list), which the standalone gateway configures too. Grain calls are
/// bounded by <c>Focus:Cluster:ResponseTimeout</c>.
/// </summary>
public sealed class RestGatewayOptions
{
    public const string Section = "Focus:Gateway";

    /// <summary>A prefix for every route, e.g. <c>/focus-server</c>; empty for none.</summary>
    public string PathBase { get; set; } = "";

    /// <summary>Origins allowed by CORS; <c>*</c> allows all (the default).</summary>
    public string[] CorsOrigins { get; set; } = ["*"];

    /// <summary>The largest request body accepted (CONTRACT: 1 MiB); larger is 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
