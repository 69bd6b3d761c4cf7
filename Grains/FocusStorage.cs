namespace Focus.Grains;

/// <summary>Grain storage names; the host maps each to memory or PostgreSQL.</summary>
public static class FocusStorage
{
    public const string Jobs = "jobs";
}
