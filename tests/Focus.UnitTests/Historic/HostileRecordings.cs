using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;

namespace Focus.UnitTests.Historic;

/// <summary>
/// A storage folder's worth of hostile recordings: PRODML files that lie (times past DateTime, absurd rates,
/// dimensions, chunks and attributes), written by h5py (Debian python3-h5py, an HDF5 writer independent of the
/// service's reader) from <c>hostile_recordings.py</c>, plus a truncated recording and garbage behind an HDF5
/// signature. Shared with the integration tests (linked there).
/// </summary>
public static class HostileRecordings
{
    public static readonly string[] FromH5py =
    [
        "time-overflows-long.h5", "time-after-year-9999.h5", "time-before-year-1.h5", "rate-tiny-end-overflows.h5",
        "rate-nan.h5", "rate-huge.h5", "loci-beyond-int.h5", "rows-beyond-reason.h5", "chunk-of-a-gibibyte.h5",
        "attribute-of-a-million-strings.h5", "attribute-of-five-megabytes.h5",
    ];

    public static readonly string[] Broken = ["truncated.h5", "garbage.h5"];

    public static IEnumerable<string> All => FromH5py.Concat(Broken);

    /// <summary>Writes every hostile file into <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        RunH5py(folder);

        // A real recording cut in half, as a full disk or a killed copy leaves it.
        var scratch = Path.Combine(Path.GetTempPath(), $"focus-hostile-scratch-{Guid.NewGuid():N}");
        try
        {
            var recorder = new SimulatedRecorder(new SimulatedFiber(new SimulatorOptions { Channels = 4, Prr = 500 }), 4);
            var (whole, _, _) = recorder.Record(scratch, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20), [])[0];
            var bytes = File.ReadAllBytes(whole);
            File.WriteAllBytes(Path.Combine(folder, "truncated.h5"), bytes[..(bytes.Length / 2)]);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        // The HDF5 signature, then noise.
        var garbage = new byte[256 * 1024];
        new Random(13).NextBytes(garbage);
        byte[] signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];
        signature.CopyTo(garbage, 0);
        File.WriteAllBytes(Path.Combine(folder, "garbage.h5"), garbage);
    }

    private static void RunH5py(string folder) => H5py.Run("hostile_recordings.py", folder);
}
