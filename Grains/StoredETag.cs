using Orleans.Runtime;

namespace Focus.Grains;

/// <summary>
/// A write whose answer was lost (the store's connection cut after its commit) leaves a grain holding the ETag from
/// before it, and every later write or delete of that record is refused (<c>InconsistentStateException</c>) for ever.
/// Taking the stored record's ETag, keeping the state the grain means, lets its next write go over it.
/// </summary>
internal static class StoredETag
{
    public static async Task TakeStoredETagAsync<T>(this IPersistentState<T> state)
    {
        var meant = state.State;
        try
        {
            await state.ReadStateAsync();
        }
        finally
        {
            state.State = meant;
        }
    }
}
