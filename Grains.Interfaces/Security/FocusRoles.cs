namespace Focus.Grains.Security;

/// <summary>The roles an identity may hold (CONTRACT §7).</summary>
public static class FocusRoles
{
    /// <summary>Configures, lists, reads and cancels their own jobs.</summary>
    public const string Analyst = "analyst";

    /// <summary>Everything: any job, every listing, the dashboard and <c>/metrics</c>.</summary>
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All = [Analyst, Operator];
}
