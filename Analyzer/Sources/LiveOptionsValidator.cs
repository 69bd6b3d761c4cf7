using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Sources;

internal sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions o)
    {
        var errors = new List<string>();
        if (o.Source == "rabbitmq")
        {
            if (!Uri.TryCreate(o.Broker, UriKind.Absolute, out var broker) || broker.Scheme is not ("amqp" or "amqps"))
                errors.Add($"{LiveOptions.Section}:Broker is '{o.Broker}'; with Source rabbitmq give an AMQP URI, e.g. amqp://guest:guest@127.0.0.1:5672/.");
        }
        else if (o.Source != "simulator")
        {
            errors.Add($"{LiveOptions.Section}:Source is '{o.Source}'; use simulator or rabbitmq.");
        }
        if (o.MaxQueueBytes < 1024)
            errors.Add($"{LiveOptions.Section}:MaxQueueBytes is {o.MaxQueueBytes}; use 1024 or more.");
        if (o.Prefetch is < 1 or > ushort.MaxValue)
            errors.Add($"{LiveOptions.Section}:Prefetch is {o.Prefetch}; use 1..65535.");
        if (o.ReorderWindow is < 1 or > 100)
            errors.Add($"{LiveOptions.Section}:ReorderWindow is {o.ReorderWindow}; use 1..100.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
