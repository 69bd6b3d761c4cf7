using System.Text.Json.Nodes;
using Focus.Analyzer.Streaming.Protos;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace Focus.IntegrationTests.Cluster;

/// <summary>One reader per job on stream 0, reading in the background and keeping every row_index seen.</summary>
internal sealed class ContinuousReaders : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Reader> _readers;

    public ContinuousReaders(IEnumerable<JsonObject> jobs)
    {
        _readers = [.. jobs.Select(job => new Reader((string)job["job_id"]!, FocusApi.Channel(job)))];
        foreach (var reader in _readers) reader.Task = ReadAsync(reader, _stop.Token);
    }

    public int MinLines() => _readers.Min(r => r.Count);

    public Task WaitForLinesAsync(int lines) =>
        FocusCluster.WaitUntilAsync(() =>
        {
            if (_readers.FirstOrDefault(r => r.Task.IsFaulted) is { } broken)
                throw new InvalidOperationException($"the reader of job {broken.JobId} failed", broken.Task.Exception);
            return Task.FromResult(MinLines() >= lines);
        }, Deadline, () => $"readers have {string.Join(", ", _readers.Select(r => $"{r.JobId}: {r.Count}"))} lines, expected {lines}");

    /// <summary>No reader saw a jump or a repeat in row_index.</summary>
    public void AssertContinuous()
    {
        foreach (var reader in _readers)
        {
            var rows = reader.Rows();
            for (var i = 1; i < rows.Count; i++)
                Assert.True(rows[i] == rows[i - 1] + 1, $"job {reader.JobId}: row_index {rows[i - 1]} then {rows[i]} (line lost)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var reader in _readers)
        {
            try
            {
                await reader.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                // Ending readers is all that matters here.
            }
            reader.Channel.Dispose();
        }
        _stop.Dispose();
    }

    private static async Task ReadAsync(Reader reader, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            using var call = FocusApi.Stream(reader.Channel, 0, cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken))
                reader.Add(call.ResponseStream.Current);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private sealed class Reader(string jobId, GrpcChannel channel)
    {
        private readonly List<int> _rows = [];

        public string JobId { get; } = jobId;
        public GrpcChannel Channel { get; } = channel;
        public Task Task { get; set; } = Task.CompletedTask;

        public int Count
        {
            get { lock (_rows) return _rows.Count; }
        }

        public void Add(DataStream message)
        {
            lock (_rows) _rows.AddRange(message.RowIndex);
        }

        public List<int> Rows()
        {
            lock (_rows) return [.. _rows];
        }
    }
}
