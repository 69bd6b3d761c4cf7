namespace Focus.Grains.Jobs;

/// <summary>Why a job could not be created; each maps to one HTTP status of CONTRACT §1.</summary>
public enum JobProblemKind
{
    /// <summary>422: a field is invalid against the rules or the fiber.</summary>
    Invalid,
    /// <summary>400: a historic window with no recording.</summary>
    NoRecording,
    /// <summary>409: an Idempotency-Key reused with another body.</summary>
    IdempotencyConflict,
    /// <summary>503: a precondition is missing (fiber, capacity, port, storage).</summary>
    Unavailable,
    /// <summary>429: a per-client quota (active jobs) is reached; carries Retry-After and names the quota.</summary>
    QuotaExceeded,
    /// <summary>500: an internal fault; everything taken was rolled back.</summary>
    Internal,
}
