using Focus.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Sources;

internal sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions o)
    {
        var errors = new List<string>();
        if (o.Source == LiveSource.RabbitMq)
        {
            if (!Uri.TryCreate(o.Broker, UriKind.Absolute, out var broker) || broker.Scheme is not ("amqp" or "amqps"))
                errors.Add($"{LiveOptions.Section}:Broker is '{o.Broker}'; with Source rabbitmq give an AMQP URI, e.g. amqp://guest:guest@127.0.0.1:5672/.");
        }
        else if (ConfigEnum.Problem($"{LiveOptions.Section}:Source", o.Source) is { } source)
        {
            errors.Add(source);
        }
        if (o.MaxQueueBytes < 1024)
            errors.Add($"{LiveOptions.Section}:MaxQueueBytes is {o.MaxQueueBytes}; use 1024 or more.");
        if (o.Prefetch is < 1 or > ushort.MaxValue)
            errors.Add($"{LiveOptions.Section}:Prefetch is {o.Prefetch}; use 1..65535.");
        if (o.ReorderWindow is < 1 or > 100)
            errors.Add($"{LiveOptions.Section}:ReorderWindow is {o.ReorderWindow}; use 1..100.");
        if (o.MaxChunkValues is < 1024 or > 1L << 28)
            errors.Add($"{LiveOptions.Section}:MaxChunkValues is {o.MaxChunkValues}; use 1024..268435456.");
        if (o.MaxChannels is < 1 or > 10_000_000)
            errors.Add($"{LiveOptions.Section}:MaxChannels is {o.MaxChannels}; use 1..10000000.");
        if (!(o.MaxPrr >= 1) || !double.IsFinite(o.MaxPrr))
            errors.Add($"{LiveOptions.Section}:MaxPrr is {o.MaxPrr}; use a finite rate of 1 Hz or more.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
