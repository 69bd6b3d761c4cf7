namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// What the simulator announces about its fiber, field for field a <c>PrpcastInfo</c> (CONTRACT §3) and the
/// silo's <c>FiberMetadata</c>. <see cref="NumSamplesPerTrace"/> is the samples per channel of one live block.
/// </summary>
public sealed record SimulatedFiberMetadata(
    double Prr,
    int NumberOfChannels,
    double Dx,
    double FiberStartMeters,
    double FiberLengthMeters,
    string SwVersion,
    string FiberDescription,
    string InterrogatorId,
    int BlockSize,
    int NumSamplesPerTrace);
