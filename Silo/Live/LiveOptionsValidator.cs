using Microsoft.Extensions.Options;

namespace Focus.Silo.Live;

internal sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions o)
    {
        var errors = new List<string>();
        if (o.Source == "rabbitmq")
            errors.Add($"{LiveOptions.Section}:Source is rabbitmq, which this build does not support yet; use simulator.");
        else if (o.Source != "simulator")
            errors.Add($"{LiveOptions.Section}:Source is '{o.Source}'; use simulator or rabbitmq.");
        if (o.MaxQueueBytes < 1024)
            errors.Add($"{LiveOptions.Section}:MaxQueueBytes is {o.MaxQueueBytes}; use 1024 or more.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
