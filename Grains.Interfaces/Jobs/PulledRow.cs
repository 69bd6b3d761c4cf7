namespace Focus.Grains.Jobs;

/// <summary>
/// One line of a job as GET /waterfall hands it out: the frame's start and end (UTC epoch ms) and, for each channel of
/// the line, its values (<see cref="Values"/> holds <see cref="Channels"/>.Length equal slices, in channel order: a
/// spectrum per channel, or one power value per channel for WATERFALL).
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.PulledRow")]
public sealed record PulledRow(
    [property: Id(0)] long StartTimestamp,
    [property: Id(1)] long EndTimestamp,
    [property: Id(2)] int[] Channels,
    [property: Id(3)] float[] Values)
{
    public int ValuesPerChannel => Channels.Length == 0 ? 0 : Values.Length / Channels.Length;
}
