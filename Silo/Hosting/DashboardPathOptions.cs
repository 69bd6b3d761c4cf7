namespace Focus.Silo.Hosting;

/// <summary><c>Focus:Dashboard</c>: where the Orleans dashboard is served.</summary>
public sealed class DashboardPathOptions
{
    public const string Section = "Focus:Dashboard";

    public string Path { get; set; } = "/dashboard";
}
