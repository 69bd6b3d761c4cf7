namespace Focus.Grains.Security;

/// <summary>What a job's stream server makes of the <c>authorization</c> a call brought.</summary>
public enum StreamTokenCheck
{
    Valid,
    /// <summary>No <c>Bearer</c> token: UNAUTHENTICATED.</summary>
    Missing,
    /// <summary>Not a token, an unknown key or a wrong signature: UNAUTHENTICATED.</summary>
    Invalid,
    /// <summary>Signed, but past its expiry: UNAUTHENTICATED.</summary>
    Expired,
    /// <summary>Signed and current, for another job: PERMISSION_DENIED.</summary>
    OtherJob,
}
