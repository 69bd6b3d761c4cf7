namespace Focus.Grains.Exposure;

/// <summary>Where clients reach a job's stream: the <c>stream_url</c> and <c>stream_port</c> of /configure.</summary>
public sealed record ExposedStream(string Host, int Port);
