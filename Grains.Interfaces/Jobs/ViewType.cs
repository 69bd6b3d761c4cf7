namespace Focus.Grains.Jobs;

/// <summary>The three views of CONTRACT §1; the integer values are on the wire.</summary>
public enum ViewType
{
    Multichannel = 0,
    Singlechannel = 1,
    Waterfall = 2,
}
