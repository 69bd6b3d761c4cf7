using Focus.Silo;
using Focus.Silo.Hosting;

if (args is [InitDbCommand.Name, .. var rest])
    return await InitDbCommand.RunAsync(rest, Console.Out, Console.Error);

try
{
    await FocusSiloApp.Create(args).RunAsync();
    return 0;
}
catch (ClusterStartException ex)
{
    await Console.Error.WriteLineAsync($"Focus.Silo: {ex.Message}");
    return 2;
}
