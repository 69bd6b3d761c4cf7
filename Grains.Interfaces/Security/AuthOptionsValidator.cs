using System.Text.RegularExpressions;
using Focus.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Security;

/// <summary>Checks <see cref="AuthOptions"/> for the mode chosen; messages name the keys and never a secret.</summary>
public sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private const string S = AuthOptions.Section;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (ConfigEnum.Problem($"{S}:Mode", options.Mode) is { } mode) errors.Add(mode);
        if (options.Mode == AuthMode.ApiKey) ValidateApiKeys(options.ApiKeys, errors);
        if (options.Mode == AuthMode.Jwt) ValidateJwt(options.Jwt, errors);
        if (options.IsOn) ValidateStreamTokens(options.StreamTokens, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateApiKeys(List<ApiKeyOptions> keys, List<string> errors)
    {
        if (keys.Count == 0) errors.Add($"{S}:ApiKeys is empty; apikey mode needs at least one key (Name, Sha256, Roles).");
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (string.IsNullOrWhiteSpace(key.Name)) errors.Add($"{S}:ApiKeys:{i}:Name is empty; name the identity the key stands for.");
            if (!Sha256Hex().IsMatch(key.Sha256))
                errors.Add($"{S}:ApiKeys:{i}:Sha256 is not 64 lower-case hex digits; give the SHA-256 of the key (sha256sum), never the key.");
            if (key.Roles.Count == 0) errors.Add($"{S}:ApiKeys:{i}:Roles is empty; use {string.Join(" and/or ", FocusRoles.All)}.");
            foreach (var role in key.Roles.Where(r => !FocusRoles.All.Contains(r)))
                errors.Add($"{S}:ApiKeys:{i}:Roles has '{role}'; use {string.Join(" or ", FocusRoles.All)}.");
        }
        foreach (var duplicate in keys.GroupBy(k => k.Name).Where(g => g.Count() > 1 && g.Key.Length > 0))
            errors.Add($"{S}:ApiKeys names '{duplicate.Key}' more than once; each key stands for its own identity.");
        foreach (var duplicate in keys.GroupBy(k => k.Sha256).Where(g => g.Count() > 1 && g.Key.Length > 0))
            errors.Add($"{S}:ApiKeys has one Sha256 under several names ({string.Join(", ", duplicate.Select(k => k.Name))}).");
    }

    private static void ValidateJwt(JwtOptions jwt, List<string> errors)
    {
        if (jwt.Authority.Length == 0 && jwt.Jwks.Length == 0)
            errors.Add($"{S}:Jwt:Authority and {S}:Jwt:Jwks are both empty; jwt mode needs the issuer's URL or its key set.");
        if (jwt.Authority.Length > 0 && !Uri.TryCreate(jwt.Authority, UriKind.Absolute, out _))
            errors.Add($"{S}:Jwt:Authority is '{jwt.Authority}'; use an absolute URL.");
        if (string.IsNullOrWhiteSpace(jwt.Audience)) errors.Add($"{S}:Jwt:Audience is empty; name the audience tokens must be issued for.");
        if (string.IsNullOrWhiteSpace(jwt.RoleClaim)) errors.Add($"{S}:Jwt:RoleClaim is empty; name the claim holding the roles.");
        if (string.IsNullOrWhiteSpace(jwt.NameClaim)) errors.Add($"{S}:Jwt:NameClaim is empty; name the claim naming the identity.");
        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(5))
            errors.Add($"{S}:Jwt:ClockSkew is {jwt.ClockSkew}; use 00:00:00 to 00:05:00.");
    }

    private static void ValidateStreamTokens(StreamTokenOptions tokens, List<string> errors)
    {
        const string T = $"{S}:StreamTokens";
        if (tokens.Keys.Count == 0)
            errors.Add($"{T}:Keys is empty; with auth on, jobs' streams need a signing key (Id, Secret: base64 of 32 random bytes).");
        for (var i = 0; i < tokens.Keys.Count; i++)
        {
            var key = tokens.Keys[i];
            if (!KeyId().IsMatch(key.Id)) errors.Add($"{T}:Keys:{i}:Id is '{key.Id}'; use 1-32 letters, digits, '-' or '_'.");
            if (StreamTokens.DecodeSecret(key.Secret) is not { Length: >= StreamTokens.MinSecretBytes })
                errors.Add($"{T}:Keys:{i}:Secret is not base64 of at least {StreamTokens.MinSecretBytes} bytes.");
        }
        foreach (var duplicate in tokens.Keys.GroupBy(k => k.Id).Where(g => g.Count() > 1))
            errors.Add($"{T}:Keys has the Id '{duplicate.Key}' more than once.");
        if (tokens.SigningKeyId.Length > 0 && tokens.Keys.All(k => k.Id != tokens.SigningKeyId))
            errors.Add($"{T}:SigningKeyId is '{tokens.SigningKeyId}', which is not the Id of one of {T}:Keys.");
        if (tokens.Lifetime <= TimeSpan.Zero || tokens.Lifetime > TimeSpan.FromDays(7))
            errors.Add($"{T}:Lifetime is {tokens.Lifetime}; use a positive time of at most 7 days.");
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex KeyId();
}
