using System.Globalization;
using PureHDF;

namespace Focus.Analyzer.Historic;

/// <summary>
/// Reads PRODML attributes whatever width the vendor stored them in (int8..int64, float32/64, fixed or
/// variable strings, scalar or one-element arrays), and units in both the PRODML 2.0 (<c>XUnit</c>) and
/// 2.1 (<c>X.uom</c>) styles. An attribute larger than <see cref="RecordingLimits"/> allows is refused before it is read.
/// </summary>
internal static class ProdmlAttributes
{
    public static double? Number(IH5Object owner, string name)
    {
        if (!owner.AttributeExists(name)) return null;
        var attribute = Checked(owner, name);
        var type = attribute.Type;
        return type.Class switch
        {
            H5DataTypeClass.FloatingPoint when type.Size == 4 => First(attribute.Read<float[]>()),
            H5DataTypeClass.FloatingPoint when type.Size == 8 => First(attribute.Read<double[]>()),
            H5DataTypeClass.FixedPoint => Integer(attribute),
            H5DataTypeClass.String or H5DataTypeClass.VariableLength => double.TryParse(Text(owner, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
            _ => null,
        };
    }

    public static string? Text(IH5Object owner, string name)
    {
        if (!owner.AttributeExists(name)) return null;
        var attribute = Checked(owner, name);
        if (!IsText(attribute)) return Number(owner, name)?.ToString(CultureInfo.InvariantCulture);
        var text = attribute.Space.Type == H5DataspaceType.Scalar ? attribute.Read<string>() : attribute.Read<string[]>().FirstOrDefault();
        return text?.TrimEnd('\0', ' ');
    }

    public static string[] Texts(IH5Object owner, string name)
    {
        if (!owner.AttributeExists(name)) return [];
        var attribute = Checked(owner, name);
        if (!IsText(attribute)) return [];
        return attribute.Space.Type == H5DataspaceType.Scalar
            ? [attribute.Read<string>().TrimEnd('\0', ' ')]
            : attribute.Read<string[]>().Select(t => t.TrimEnd('\0', ' ')).ToArray();
    }

    /// <summary>The unit of <paramref name="name"/>: <c>name.uom</c> (2.1) or <c>nameUnit</c> (2.0).</summary>
    public static string? Unit(IH5Object owner, string name) => Text(owner, name + ".uom") ?? Text(owner, name + "Unit");

    public static DateTimeOffset? Time(IH5Object owner, string name) =>
        Text(owner, name) is { Length: > 0 } text &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>The attribute, once its size is known to be an attribute's, not a fortune (hostile files).</summary>
    private static IH5Attribute Checked(IH5Object owner, string name)
    {
        var attribute = owner.Attribute(name);
        RecordingLimits.CheckAttribute(attribute, name);
        return attribute;
    }

    /// <summary>Fixed-length strings (vendors) or variable-length ones (what PureHDF writes).</summary>
    private static bool IsText(IH5Attribute attribute) =>
        attribute.Type.Class == H5DataTypeClass.String ||
        attribute.Type.Class == H5DataTypeClass.VariableLength && attribute.Type.VariableLength.BaseType.Class is H5DataTypeClass.String or H5DataTypeClass.FixedPoint;

    private static double? Integer(IH5Attribute attribute)
    {
        var signed = attribute.Type.FixedPoint.IsSigned;
        return attribute.Type.Size switch
        {
            1 => signed ? First(attribute.Read<sbyte[]>()) : First(attribute.Read<byte[]>()),
            2 => signed ? First(attribute.Read<short[]>()) : First(attribute.Read<ushort[]>()),
            4 => signed ? First(attribute.Read<int[]>()) : First(attribute.Read<uint[]>()),
            8 => signed ? First(attribute.Read<long[]>()) : First(attribute.Read<ulong[]>()),
            _ => null,
        };
    }

    private static double? First<T>(T[] values) where T : struct, IConvertible =>
        values.Length > 0 ? values[0].ToDouble(CultureInfo.InvariantCulture) : null;
}
