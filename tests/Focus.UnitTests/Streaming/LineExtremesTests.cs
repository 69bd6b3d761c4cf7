using System.Numerics.Tensors;
using Focus.Analyzer.Streaming;

namespace Focus.UnitTests.Streaming;

/// <summary>A line's copy and extremes in one pass give the bits a copy and TensorPrimitives' Max and Min give.</summary>
public sealed class LineExtremesTests
{
    private static readonly float[] Specials =
        [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, -120.5f, 3.25f];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]    // shorter than a vector: the scalar loop
    [InlineData(8)]
    [InlineData(9)]    // a vector and an overlapping tail
    [InlineData(33)]
    [InlineData(513)]  // nfft 1024's line
    [InlineData(4097)]
    public void Copies_and_extremes_are_the_bits_of_a_copy_and_TensorPrimitives(int length)
    {
        var random = new Random(length);
        for (var trial = 0; trial < 200; trial++)
        {
            var values = new float[length];
            for (var i = 0; i < length; i++)
                values[i] = random.Next(4) == 0 ? Specials[random.Next(Specials.Length)] : (float)(random.NextDouble() * 200 - 150);
            if (trial % 7 == 0) values[random.Next(length)] = float.NaN;
            if (trial % 11 == 0) Array.Fill(values, trial % 2 == 0 ? 0f : -0f);
            if (trial % 13 == 0) values[random.Next(length)] = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0001)); // a NaN with a payload

            var destination = new float[length + 1];
            destination[^1] = 42f;
            var (max, min) = LineExtremes.Copy(values, destination);

            Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), destination[..length].Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(42f, destination[^1]); // nothing written past the line
            Assert.Equal(BitConverter.SingleToInt32Bits(TensorPrimitives.Max<float>(values)), BitConverter.SingleToInt32Bits(max));
            Assert.Equal(BitConverter.SingleToInt32Bits(TensorPrimitives.Min<float>(values)), BitConverter.SingleToInt32Bits(min));
        }
    }

    [Fact]
    public void An_empty_line_or_a_short_destination_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LineExtremes.Copy([], new float[1]));
        Assert.Throws<ArgumentException>(() => LineExtremes.Copy(new float[9], new float[8]));
    }
}
