using Focus.Gateway.Contracts;
using Focus.Gateway.Problems;
using Focus.Grains.Fiber;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Focus.Gateway.Apis;

/// <summary>What the live fiber is: its metadata, channel range and sensor positions.</summary>
public static class FiberApi
{
    private const string FiberUnknown = "the fiber is not known yet: waiting for fiber";

    /// <summary>The most sensors /sensors lists (its answer stays a few MB whatever the metadata says).</summary>
    internal const int MaxSensors = 1_000_000;

    public static IEndpointRouteBuilder MapFiberApi(this IEndpointRouteBuilder app)
    {
        var fiber = app.MapGroup("").WithTags("Fiber");
        fiber.MapGet("/live_metadata", LiveMetadata).WithName("LiveMetadata");
        fiber.MapGet("/channels", Channels).WithName("Channels");
        fiber.MapGet("/sensors", Sensors).WithName("Sensors");
        return app;
    }

    internal static async Task<Ok<LiveMetadataResponse>> LiveMetadata(IGrainFactory grains) =>
        TypedResults.Ok(LiveMetadataResponse.From(await Metadata(grains)));

    internal static async Task<Results<Ok<ChannelsResponse>, ProblemHttpResult>> Channels(IGrainFactory grains, HttpContext http)
    {
        var fiber = await Metadata(grains);
        return fiber.IsKnown
            ? TypedResults.Ok(new ChannelsResponse(1, fiber.NumberOfChannels))
            : FocusProblems.Unavailable(FiberUnknown, TimeSpan.FromSeconds(5), http);
    }

    internal static async Task<Results<Ok<SensorsResponse>, ProblemHttpResult>> Sensors(IGrainFactory grains, HttpContext http)
    {
        var fiber = await Metadata(grains);
        if (!fiber.IsKnown) return FocusProblems.Unavailable(FiberUnknown, TimeSpan.FromSeconds(5), http);
        // The live feeds refuse such metadata; this keeps the answer bounded and serializable whatever reached the grain.
        if (fiber.NumberOfChannels > MaxSensors || !double.IsFinite(fiber.Dx) || !double.IsFinite(fiber.FiberStartMeters))
            return FocusProblems.Unavailable(
                $"the fiber metadata cannot be listed: {fiber.NumberOfChannels} channels (at most {MaxSensors}), dx {fiber.Dx}, start {fiber.FiberStartMeters}",
                TimeSpan.FromSeconds(5), http);
        var sensors = new int[fiber.NumberOfChannels];
        var positions = new double[fiber.NumberOfChannels];
        for (var i = 0; i < sensors.Length; i++)
        {
            sensors[i] = i + 1;
            positions[i] = Math.Round(fiber.FiberStartMeters + i * fiber.Dx, 6);
        }
        return TypedResults.Ok(new SensorsResponse(sensors, positions));
    }

    private static Task<FiberMetadata> Metadata(IGrainFactory grains) =>
        grains.GetGrain<IMetadataGrain>(MetadataKey.Value).Get();
}
