namespace Focus.Analyzer.Spectral;

/// <summary>Argument checks shared by every engine, so that all engines accept the same shapes.</summary>
internal static class SpectralShapes
{
    public static void Validate(SpectrumShape shape)
    {
        if (!FftPlan.IsValidLength(shape.Nfft))
            throw new ArgumentOutOfRangeException(nameof(shape), shape,
                $"Nfft must be a power of two between {FftPlan.MinLength} and {FftPlan.MaxLength}.");
        if (shape.Channels < 1)
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "Channels must be at least 1.");
        if (shape.FirstBin < 0 || shape.BinCount < 1 || shape.FirstBin + shape.BinCount > shape.Nfft / 2 + 1)
            throw new ArgumentOutOfRangeException(nameof(shape), shape,
                $"Bins {shape.FirstBin}..{shape.FirstBin + shape.BinCount - 1} are not within 0..{shape.Nfft / 2}.");
    }

    public static void Validate(WaterfallShape shape)
    {
        if (shape.Hop < 1)
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "Hop must be at least 1.");
        if (shape.Channels < 1)
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "Channels must be at least 1.");
    }

    public static void CheckSpans(SpectrumShape shape, int frameLength, int destinationLength)
    {
        long need = (long)shape.Nfft * shape.Channels;
        if (frameLength < need)
            throw new ArgumentException($"The frame holds {frameLength} samples, the shape needs {need} (Nfft x Channels).", "frame");
        long outNeed = (long)shape.BinCount * shape.Channels;
        if (destinationLength < outNeed)
            throw new ArgumentException($"The destination holds {destinationLength} values, the shape needs {outNeed} (Channels x BinCount).", "destination");
    }

    public static void CheckFrames(SpectrumShape shape, int samplesLength, int hop, int frameCount, int destinationLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hop, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        long need = ((long)(frameCount - 1) * hop + shape.Nfft) * shape.Channels;
        if (samplesLength < need)
            throw new ArgumentException($"The samples hold {samplesLength} values, {frameCount} frames need {need} (((frames - 1) x hop + Nfft) x Channels).", "samples");
        long outNeed = (long)frameCount * shape.Channels * shape.BinCount;
        if (destinationLength < outNeed)
            throw new ArgumentException($"The destination holds {destinationLength} values, {frameCount} frames need {outNeed} (frames x Channels x BinCount).", "destination");
    }

    public static void CheckSpans(WaterfallShape shape, int blockLength, int destinationLength)
    {
        long need = (long)shape.Hop * shape.Channels;
        if (blockLength < need)
            throw new ArgumentException($"The block holds {blockLength} samples, the shape needs {need} (Hop x Channels).", "block");
        if (destinationLength < shape.Channels)
            throw new ArgumentException($"The destination holds {destinationLength} values, the shape needs {shape.Channels}.", "destination");
    }
}
