namespace Focus.Analyzer.Historic;

/// <summary>The file format a recorder writes.</summary>
public enum RecordingFileFormat
{
    /// <summary>PRODML 2.1 HDF5 (<c>.h5</c>, <see cref="ProdmlWriter"/>).</summary>
    Prodml,
    /// <summary>SEG-Y rev 2.0 (<c>.segy</c>, <see cref="Formats.SegY.SegyWriter"/>).</summary>
    Segy,
}
