using System.Net;
using Focus.Analyzer.Pipeline;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Streaming;

public sealed partial class JobStreamServer
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Data stream server listening on {BindAddress}:{Port} with {StreamCount} streams")]
    internal static partial void LogStarted(ILogger logger, IPAddress bindAddress, int port, int streamCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream port {Port} is in use")]
    internal static partial void LogPortInUse(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data stream server on port {Port} stopped ({End})")]
    internal static partial void LogStopped(ILogger logger, int port, JobEndKind? end);
}
