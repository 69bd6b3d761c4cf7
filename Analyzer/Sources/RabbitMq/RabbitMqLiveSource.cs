using System.Collections.Concurrent;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// Live input from the recorder's <c>prisma</c> exchange (CONTRACT §3): each job gets its own bounded queue for
/// its whole life (<see cref="AttachAsync"/>); there is no shared reader. Jobs whose channels leave the fiber
/// (a smaller <c>number_of_channels</c> in Prpcast.Info) fail with the reason.
/// </summary>
public sealed class RabbitMqLiveSource : ILiveSource
{
    private readonly BrokerConnection _broker;
    private readonly RecorderFiber _fiber;
    private readonly LiveInstruments _instruments;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<RabbitMqJobInput, byte> _inputs = new();

    public RabbitMqLiveSource(BrokerConnection broker, RecorderFiber fiber, LiveInstruments instruments, TimeProvider clock, ILoggerFactory loggers)
    {
        _broker = broker;
        _fiber = fiber;
        _instruments = instruments;
        _clock = clock;
        _loggers = loggers;
        fiber.Changed += OnFiberChanged;
    }

    public double Prr => _fiber.Prr;

    /// <summary>Jobs' inputs attached now (for leak checks).</summary>
    public int AttachedJobs => _inputs.Count;

    internal IEnumerable<RabbitMqJobInput> Inputs => _inputs.Keys;

    public ILiveReader Open(int firstChannel, int lastChannel, long fromSampleIndex) =>
        throw new InvalidOperationException("the RabbitMQ live input is per job: attach the job first (ILiveSource.AttachAsync)");

    public async ValueTask<ILiveJobInput> AttachAsync(string jobId, int firstChannel, int lastChannel, CancellationToken cancellationToken)
    {
        if (_fiber.Info is not { } info)
            throw new LiveInputUnavailableException("waiting for fiber: no Prpcast.Info heard on this silo yet");
        if (lastChannel > info.NumberOfChannels)
            throw new ArgumentOutOfRangeException(nameof(lastChannel), $"channels {firstChannel}..{lastChannel} are not on the fiber's 1..{info.NumberOfChannels}");
        var input = new RabbitMqJobInput(jobId, firstChannel, lastChannel, _broker, _fiber, _instruments, _clock,
            _loggers.CreateLogger<RabbitMqJobInput>());
        await input.StartAsync(cancellationToken);
        _inputs.TryAdd(input, 0);
        return new Handle(this, input);
    }

    private void OnFiberChanged(PrpcastInfo info)
    {
        foreach (var input in _inputs.Keys)
        {
            var (first, last) = input.Channels;
            // A new prr or block size applies to new jobs; this job's chunks at another prr are refused and counted.
            if (last > info.NumberOfChannels)
                input.Fail($"the fiber now has {info.NumberOfChannels} channels: channels {first}..{last} of this job are gone");
        }
    }

    /// <summary>The job's view of its input; disposing it detaches the job (and deletes its queue).</summary>
    private sealed class Handle(RabbitMqLiveSource source, RabbitMqJobInput input) : ILiveJobInput
    {
        public string? Queue => input.Queue;

        public DateTimeOffset? LastKeepaliveAt => input.LastKeepaliveAt;

        public string? Fault => input.Fault;

        public ILiveReader Open(long fromSampleIndex) => input.Open(fromSampleIndex);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await input.DisposeAsync();
            }
            finally
            {
                source._inputs.TryRemove(input, out _);
            }
        }
    }
}
