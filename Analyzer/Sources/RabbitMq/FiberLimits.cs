using Focus.Analyzer.Sources.RabbitMq.Protos;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// What a <c>Prpcast.Info</c> may announce (<c>Focus:Live:MaxChannels</c>, <c>:MaxPrr</c>): a message outside
/// these bounds, or with a non-finite or non-positive number where a length or rate belongs, is refused, so one
/// bad message never reaches /live_metadata, /sensors or /configure.
/// </summary>
public sealed record FiberLimits(int MaxChannels, double MaxPrr)
{
    public const int MaxBlockSize = 100_000;
    public const int MaxText = 4096;

    public static FiberLimits Default { get; } = new(200_000, 1_000_000);

    /// <summary>Why <paramref name="info"/> cannot describe a fiber, or null when it can.</summary>
    public string? Problem(PrpcastInfo info) =>
        !(info.Prr > 0) || !double.IsFinite(info.Prr) ? $"prr {info.Prr} is not a positive rate"
        : info.Prr > MaxPrr ? $"prr {info.Prr} is above Focus:Live:MaxPrr {MaxPrr}"
        : info.NumberOfChannels == 0 ? "number_of_channels 0"
        : info.NumberOfChannels > MaxChannels ? $"number_of_channels {info.NumberOfChannels} is above Focus:Live:MaxChannels {MaxChannels}"
        : !(info.Dx > 0) || !double.IsFinite(info.Dx) ? $"dx {info.Dx} is not a positive length"
        : !double.IsFinite(info.FiberStartMeters) ? $"fiber_start_meters {info.FiberStartMeters} is not finite"
        : !(info.FiberLengthMeters >= 0) || !double.IsFinite(info.FiberLengthMeters) ? $"fiber_length_meters {info.FiberLengthMeters} is not a length"
        : info.BlockSize > MaxBlockSize ? $"block_size {info.BlockSize} is above {MaxBlockSize}"
        : info.SwVersion.Length > MaxText || info.FiberDescription.Length > MaxText || info.InterrogatorId.Length > MaxText
            ? $"a text field is longer than {MaxText} characters"
        : null;
}
