using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;

namespace Focus.UnitTests.Historic;

public sealed class ProdmlWriterTests
{
    [Fact]
    public void ARecordedFileRoundTripsSampleExact()
    {
        var fiber = new SimulatedFiber(new SimulatorOptions { Channels = 40, Prr = 2000 });
        var first = fiber.Clock.IndexAt(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        const int samples = 5000; // 2.5 blocks of the writer
        var path = Path.Combine(Path.GetTempPath(), $"focus-roundtrip-{Guid.NewGuid():N}.h5");
        try
        {
            ProdmlWriter.Write(path, fiber.Prr, fiber.Channels, fiber.Dx, first, samples,
                (index, rows, destination) => fiber.Fill(1, fiber.Channels, index, rows, destination));

            using var recording = ProdmlRecording.Open(path);
            var h = recording.Header;
            Assert.Equal(2000, h.Prr);
            Assert.Equal(40, h.Channels);
            Assert.Equal(samples, h.SampleCount);
            Assert.Equal(RawSampleType.Float32, h.SampleType);
            Assert.Equal(fiber.Clock.TimeOf(first), h.Start);
            Assert.Equal(fiber.Clock.TimeOf(first + samples), h.End);
            Assert.Equal("2.1", h.SchemaVersion);

            var expected = new float[samples * 40];
            fiber.Fill(1, 40, first, samples, expected);
            var actual = new float[samples * 40];
            recording.Read(0, samples, 1, 40, actual);
            Assert.Equal(expected, actual);

            var part = new float[300 * 5];
            recording.Read(1999, 300, 11, 5, part); // across a writer block boundary
            for (var r = 0; r < 300; r++)
                for (var c = 0; c < 5; c++)
                    Assert.Equal(expected[(1999 + r) * 40 + 10 + c], part[r * 5 + c]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
