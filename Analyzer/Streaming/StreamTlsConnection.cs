using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// TLS on a job's connection, as a Kestrel connection middleware: the job servers run on a private service
/// provider without Kestrel's HTTPS configuration services, which its <c>UseHttps</c> requires. Negotiates
/// <c>h2</c> by ALPN (gRPC clients insist on it) and hands Kestrel the decrypted stream.
/// </summary>
internal static class StreamTlsConnection
{
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(X509Certificate2 certificate) => next => async connection =>
    {
        var transport = connection.Transport;
        await using var tls = new SslStream(new DuplexPipeStream(transport), leaveInnerStreamOpen: false);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            handshake.CancelAfter(TimeSpan.FromSeconds(10));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificateRequired = false,
            }, handshake.Token);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return; // not TLS, or a client that does not trust the certificate: nothing to serve
        }
        connection.Transport = new StreamPipe(PipeReader.Create(tls), PipeWriter.Create(tls));
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    };

    private sealed record StreamPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The connection's pipes as the stream <see cref="SslStream"/> reads and writes.</summary>
    private sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
    {
        private readonly Stream _input = pipe.Input.AsStream();
        private readonly Stream _output = pipe.Output.AsStream();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);
        public override void Flush() => _output.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
