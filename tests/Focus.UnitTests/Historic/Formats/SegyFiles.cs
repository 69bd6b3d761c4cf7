using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Focus.UnitTests.Historic.Formats;

/// <summary>One SEG-Y file <c>segy_recordings.py</c> wrote, as its manifest line describes it.</summary>
public sealed record SegyCase
{
    public required string Name { get; init; }
    public required int Format { get; init; }
    public required string Endian { get; init; }
    public required int Revision { get; init; }
    public required bool Ascii { get; init; }
    public required int Channels { get; init; }
    public required long Samples { get; init; }
    public required int Records { get; init; }
    public required long StartUs { get; init; }
    public required double IntervalUs { get; init; }
    public required string Npy { get; init; }

    public DateTimeOffset Start => DateTimeOffset.UnixEpoch.AddTicks(StartUs * 10);

    public override string ToString() => Name;
}

/// <summary>
/// A folder of SEG-Y recordings written by segyio (Debian python3-segyio: an independent writer) from
/// <c>segy_recordings.py</c>, every data sample format and byte order the service reads, with the samples each file
/// holds beside it (<c>NAME.npy</c>) and <c>manifest.json</c>. Shared with the integration tests (linked there).
/// </summary>
public sealed class SegyFiles : IDisposable
{
    public SegyFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"focus-segy-{Guid.NewGuid():N}");
        Write(Folder);
        Cases = Read(Folder);
        Assert.Equal(SegyCaseNames.All.Order(), Cases.Select(c => c.Name).Order());
    }

    public string Folder { get; }

    public IReadOnlyList<SegyCase> Cases { get; }

    public SegyCase this[string name] => Cases.Single(c => c.Name == name);

    public string PathOf(SegyCase file) => Path.Combine(Folder, file.Name);

    /// <summary>The samples the file holds, [time][channel], from its <c>.npy</c>.</summary>
    public double[] Samples(SegyCase file) => Npy.ReadFloat64(Path.Combine(Folder, file.Npy), out _);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs <c>segy_recordings.py</c> (Debian's python3 with python3-segyio and numpy) into <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        Python.Run(Script("segy_recordings.py"), [folder], "python3-segyio");
    }

    public static IReadOnlyList<SegyCase> Read(string folder) =>
        JsonSerializer.Deserialize<SegyCase[]>(File.ReadAllText(Path.Combine(folder, "manifest.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        })!;

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Historic", "Formats", name);
}

/// <summary>Debian's python3 (where python3-h5py, python3-segyio and numpy live), run to its end.</summary>
public static class Python
{
    public static string Run(string script, IEnumerable<string> arguments, string package, string? input = null, int timeoutSeconds = 120)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        using var process = Process.Start(new ProcessStartInfo(python, [script, .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = input is not null,
            StandardOutputEncoding = Encoding.UTF8,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)), $"{Path.GetFileName(script)} did not finish within {timeoutSeconds} s");
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(script)} failed (is {package} installed? test.sh installs it): {errors.Result}");
        return output.Result;
    }
}

/// <summary>Reads a little-endian float64 C-order <c>.npy</c> (what <c>np.save</c> writes for such an array).</summary>
public static class Npy
{
    public static double[] ReadFloat64(string path, out int[] shape)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10 && bytes[0] == 0x93 && bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8), $"{path} is no .npy");
        var (headerLength, headerStart) = bytes[6] == 1 ? (BitConverter.ToUInt16(bytes, 8), 10) : ((int)BitConverter.ToUInt32(bytes, 8), 12);
        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        Assert.Contains("'descr': '<f8'", header);
        Assert.Contains("'fortran_order': False", header);
        var dims = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        shape = dims[..dims.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var data = bytes.AsSpan(headerStart + headerLength);
        var values = new double[data.Length / 8];
        for (var i = 0; i < values.Length; i++) values[i] = BitConverter.ToDouble(data.Slice(8 * i, 8));
        return values;
    }
}

/// <summary>The names <c>segy_recordings.py</c> writes (the theory data; the fixture checks they match its manifest).</summary>
public static class SegyCaseNames
{
    public static readonly string[] All =
    [
        "f1-ibm-be.sgy", "f1-ibm-le.sgy", "f2-int32-be.sgy", "f2-int32-le.sgy", "f3-int16-be.sgy", "f3-int16-le.sgy",
        "f5-ieee-be.sgy", "f5-ieee-le.sgy", "f8-int8-be.sgy", "f8-int8-le.sgy", "f5-ascii-be.sgy", "rev2-ieee-le.segy",
        "rev2-ibm-be.segy", "records-int16-be.sgy",
    ];
}
