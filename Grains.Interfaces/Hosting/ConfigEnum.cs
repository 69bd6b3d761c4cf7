using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Focus.Grains.Hosting;

/// <summary>
/// Mode keys bound to enums. The binder parses a name case-insensitively (<c>apikey</c>, <c>ApiKey</c>), but for a
/// wrong one it throws "Failed to convert configuration value at 'key' to type 'T'", which lists no valid value, and it
/// takes numbers too; these helpers give the wrong name the same message a validator gives (docs/DECISIONS.md).
/// </summary>
public static class ConfigEnum
{
    /// <summary>The value as configuration and the documentation spell it: lower case.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The valid values, e.g. <c>none, apikey or jwt</c>.</summary>
    public static string Choices<TEnum>() where TEnum : struct, Enum => Choices(typeof(TEnum));

    /// <summary>A validator's message for a value set in code that is no member, or null when it is one.</summary>
    public static string? Problem<TEnum>(string key, TEnum value) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? null : $"{key} is '{value}'; use {Choices<TEnum>()}.";

    /// <summary>
    /// Options read at registration (to choose what to register): with a mode key holding no valid name they read as
    /// the defaults, so the host is still built and its start fails with the message of
    /// <c>AddValidatedOptions</c> instead of the binder's.
    /// </summary>
    public static TOptions GetOrDefaults<TOptions>(IConfigurationSection section) where TOptions : class, new() =>
        WrongNames(typeof(TOptions), section).Any() ? new TOptions() : section.Get<TOptions>() ?? new TOptions();

    /// <summary>The enum keys of <paramref name="optionsType"/> whose value in <paramref name="section"/> is no name.</summary>
    public static IEnumerable<string> WrongNames(Type optionsType, IConfiguration section)
    {
        foreach (var property in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.PropertyType.IsEnum || property.SetMethod is not { IsPublic: true }) continue;
            var text = section[property.Name];
            if (text is not null && !TryParse(property.PropertyType, text, out _))
                yield return $"{ConfigurationPath.Combine(section is IConfigurationSection s ? s.Path : "", property.Name)} is '{text}'; use {Choices(property.PropertyType)}.";
        }
    }

    /// <summary>Names only, any case: a number is no mode even though <see cref="Enum.Parse(Type, string)"/> takes it.</summary>
    private static bool TryParse(Type type, string? text, out object value)
    {
        value = default!;
        var name = Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null) return false;
        value = Enum.Parse(type, name);
        return true;
    }

    private static string Choices(Type type)
    {
        var names = Enum.GetNames(type).Select(n => n.ToLowerInvariant()).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}
