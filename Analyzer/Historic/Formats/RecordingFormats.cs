using Focus.Analyzer.Historic.Formats.SegY;
using Focus.Analyzer.Historic.Formats.Silixa;
using Focus.Analyzer.Historic.Formats.Terra15;
using PureHDF;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic.Formats;

/// <summary>
/// The recording formats historic playback reads, and which file is which: <c>.sgy</c>/<c>.segy</c> are SEG-Y
/// (<see cref="SegyRecording"/>); <c>.h5</c>/<c>.hdf5</c>/<c>.he5</c> are HDF5 in the PRODML layout
/// (<see cref="ProdmlRecording"/>), else Terra15's (<see cref="Terra15Recording"/>) or Silixa iDAS's native one
/// (<see cref="SilixaRecording"/>), told apart by what the file holds. Anything else is a
/// <see cref="RecordingFormatException"/> with the reason.
/// </summary>
public static class RecordingFormats
{
    /// <summary>File name extensions a storage folder's recordings have (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".h5", ".hdf5", ".he5", ".sgy", ".segy"];

    /// <summary>Whether <paramref name="path"/> is named like a recording (by its extension).</summary>
    public static bool IsRecordingFile(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    public static bool IsSegy(string path) =>
        Path.GetExtension(path) is var e && (e.Equals(".sgy", StringComparison.OrdinalIgnoreCase) || e.Equals(".segy", StringComparison.OrdinalIgnoreCase));

    /// <summary>Opens <paramref name="path"/> in its format; throws <see cref="RecordingFormatException"/> when it is no playable recording.</summary>
    public static IRecording Open(string path)
    {
        if (IsSegy(path)) return SegyRecording.Open(path);
        try
        {
            return ProdmlRecording.Open(path);
        }
        catch (RecordingFormatException prodml) when (prodml.Problem == RecordingProblem.UnsupportedFormat && prodml.InnerException is null)
        {
            return OpenVendorHdf5(path, prodml);
        }
    }

    /// <summary>The header only (the file is closed again).</summary>
    public static RecordingHeader ReadHeader(string path)
    {
        using var recording = Open(path);
        return recording.Header;
    }

    /// <summary>
    /// The file a catalog names without its extension (the mongo layout's <c>{base_path}/{uuid}</c>): the first of
    /// <paramref name="name"/> + .h5, .hdf5, .he5, .sgy, .segy that exists, else the .h5 one (missing: a hole in playback).
    /// A name that already ends in a recording extension is taken as it is.
    /// </summary>
    public static string Locate(string directory, string name)
    {
        var stem = Path.Combine(directory, name);
        if (IsRecordingFile(name)) return stem;
        foreach (var extension in Extensions)
            if (File.Exists(stem + extension)) return stem + extension;
        return stem + Extensions[0];
    }

    /// <summary>An HDF5 file without PRODML's <c>/Acquisition</c>: Terra15 or Silixa, or why it is neither.</summary>
    private static IRecording OpenVendorHdf5(string path, RecordingFormatException prodml)
    {
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException))
        {
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"not an HDF5 file ({ex.Message})", ex);
        }
        try
        {
            if (file.LinkExists("/Acquisition")) throw prodml; // PRODML after all: its own reason stands
            if (Terra15Recording.Matches(file)) return Terra15Recording.Open(file, path);
            if (SilixaRecording.Matches(file)) return SilixaRecording.Open(file, path);
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat,
                "an HDF5 layout of no known DAS format: no /Acquisition (PRODML), no file_version root attribute (Terra15), no /Acoustic dataset (Silixa iDAS)");
        }
        catch (Exception ex)
        {
            file.Dispose();
            if (ex is RecordingFormatException) throw;
            throw new RecordingFormatException(path, RecordingProblem.Invalid, ex.Message, ex);
        }
    }
}
