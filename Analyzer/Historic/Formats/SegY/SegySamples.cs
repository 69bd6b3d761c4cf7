using System.Buffers.Binary;

namespace Focus.Analyzer.Historic.Formats.SegY;

/// <summary>The SEG-Y data sample formats read (codes of binary header bytes 3225-3226) and their decoding to float32.</summary>
internal static class SegySamples
{
    public const int IbmFloat = 1;
    public const int Int32 = 2;
    public const int Int16 = 3;
    public const int IeeeFloat = 5;
    public const int Int8 = 8;

    /// <summary>Bytes per sample of <paramref name="format"/>; 0 for a format that is not read.</summary>
    public static int BytesPerSample(int format) => format switch
    {
        IbmFloat or Int32 or IeeeFloat => 4,
        Int16 => 2,
        Int8 => 1,
        _ => 0,
    };

    public static string Describe(int format) => format switch
    {
        IbmFloat => "1 (IBM float)",
        Int32 => "2 (int32)",
        Int16 => "3 (int16)",
        4 => "4 (fixed point with gain, obsolete)",
        IeeeFloat => "5 (IEEE float)",
        6 => "6 (IEEE double)",
        7 => "7 (int24)",
        Int8 => "8 (int8)",
        9 => "9 (int64)",
        10 => "10 (uint32)",
        11 => "11 (uint16)",
        12 => "12 (uint64)",
        15 => "15 (uint24)",
        16 => "16 (uint8)",
        _ => $"{format} (undefined)",
    };

    public static RawSampleType SampleType(int format) => format switch
    {
        IbmFloat => RawSampleType.IbmFloat32,
        Int32 => RawSampleType.Int32,
        Int16 => RawSampleType.Int16,
        Int8 => RawSampleType.Int8,
        _ => RawSampleType.Float32,
    };

    /// <summary>
    /// Decodes <paramref name="source"/>'s samples into <paramref name="destination"/>[i * <paramref name="stride"/>]
    /// (a channel's column of a time-major block).
    /// </summary>
    public static void Decode(int format, bool bigEndian, ReadOnlySpan<byte> source, Span<float> destination, int stride)
    {
        var count = source.Length / BytesPerSample(format);
        if (count == 0) return;
        if ((long)(count - 1) * stride >= destination.Length)
            throw new ArgumentException($"{count} samples at stride {stride} do not fit {destination.Length} values", nameof(destination));
        switch (format)
        {
            case IbmFloat:
                for (var i = 0; i < count; i++) destination[i * stride] = Ibm(Word(source[(4 * i)..], bigEndian));
                break;
            case Int32:
                for (var i = 0; i < count; i++) destination[i * stride] = (int)Word(source[(4 * i)..], bigEndian);
                break;
            case IeeeFloat:
                for (var i = 0; i < count; i++) destination[i * stride] = BitConverter.UInt32BitsToSingle(Word(source[(4 * i)..], bigEndian));
                break;
            case Int16:
                for (var i = 0; i < count; i++)
                    destination[i * stride] = bigEndian ? BinaryPrimitives.ReadInt16BigEndian(source[(2 * i)..]) : BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]);
                break;
            case Int8:
                for (var i = 0; i < count; i++) destination[i * stride] = (sbyte)source[i];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "not a SEG-Y data sample format that is read");
        }
    }

    /// <summary>
    /// An IBM System/360 single: sign bit, 7-bit base-16 exponent biased by 64, 24-bit fraction (0.F × 16^(E-64)).
    /// Values beyond float32's range (IBM's reaches 7.2e75) become ±infinity; tiny ones underflow to 0.
    /// </summary>
    public static float Ibm(uint bits)
    {
        var fraction = bits & 0x00FF_FFFF;
        if (fraction == 0) return (bits & 0x8000_0000) != 0 ? -0f : 0f;
        var exponent = (int)((bits >> 24) & 0x7F);
        var value = Math.ScaleB((double)fraction, 4 * (exponent - 64) - 24);
        return (float)((bits & 0x8000_0000) != 0 ? -value : value);
    }

    private static uint Word(ReadOnlySpan<byte> source, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(source) : BinaryPrimitives.ReadUInt32LittleEndian(source);
}
