using Orleans.Runtime;
using Orleans.Storage;

namespace Focus.Grains;

/// <summary>
/// A write whose answer was lost (the store's connection cut after its commit) leaves a grain holding the ETag from
/// before it, and every later write or delete of that record is refused (<see cref="InconsistentStateException"/>) for
/// ever. A write or delete refused so goes again once over the stored record's ETag, keeping the state the grain
/// means; a second refusal is another writer, and is thrown.
/// </summary>
internal static class StoredETag
{
    public static Task WriteOverLostAnswerAsync<T>(this IPersistentState<T> state) => OverLostAnswer(state, () => state.WriteStateAsync());

    public static Task ClearOverLostAnswerAsync<T>(this IPersistentState<T> state) => OverLostAnswer(state, () => state.ClearStateAsync());

    private static async Task OverLostAnswer<T>(IPersistentState<T> state, Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (InconsistentStateException)
        {
            var meant = state.State;
            try
            {
                await state.ReadStateAsync(); // for its ETag
            }
            finally
            {
                state.State = meant;
            }
            await operation();
        }
    }
}
