namespace Focus.Grains.Jobs;

/// <summary>
/// The typed values of a /configure request on their way to the rules: from the JSON body
/// (<see cref="ConfigureRequestParser"/>) or from a <see cref="ConfigureRequest"/> received by a grain
/// (<see cref="ConfigureRequestValidator"/>). Null: absent, or already reported as invalid.
/// </summary>
internal readonly record struct ConfigureValues(
    ViewType? View,
    int? ChannelMin,
    int? ChannelMax,
    double? FrequencyMin,
    double? FrequencyMax,
    DateTimeOffset? Start,
    DateTimeOffset? End)
{
    public static ConfigureValues From(ConfigureRequest request) => new(
        Enum.IsDefined(request.ViewType) ? request.ViewType : null,
        request.ChannelMin, request.ChannelMax,
        request.FrequencyMin, request.FrequencyMax,
        request.StartTime, request.EndTime);
}
