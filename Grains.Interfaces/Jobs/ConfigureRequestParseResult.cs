using System.Diagnostics.CodeAnalysis;

namespace Focus.Grains.Jobs;

/// <summary>Either a type-checked <see cref="ConfigureRequest"/> or every field error found (a 422).</summary>
public sealed class ConfigureRequestParseResult
{
    private ConfigureRequestParseResult(ConfigureRequest? request, FieldErrors errors) => (Request, Errors) = (request, errors);

    public ConfigureRequest? Request { get; }
    public FieldErrors Errors { get; }

    [MemberNotNullWhen(true, nameof(Request))]
    public bool IsValid => Request is not null;

    internal static ConfigureRequestParseResult Success(ConfigureRequest request) => new(request, new FieldErrors());
    internal static ConfigureRequestParseResult Failure(FieldErrors errors) => new(null, errors);
}
