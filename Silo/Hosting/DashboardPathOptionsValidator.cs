using Microsoft.Extensions.Options;

namespace Focus.Silo.Hosting;

internal sealed class DashboardPathOptionsValidator : IValidateOptions<DashboardPathOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardPathOptions o) =>
        o.Path.Length > 1 && o.Path[0] == '/' && o.Path[^1] != '/' && !o.Path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '{' or '}')
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{DashboardPathOptions.Section}:Path is '{o.Path}'; use a path such as /dashboard (a leading /, no trailing /, no spaces, ?, # or braces).");
}
