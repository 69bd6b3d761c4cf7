using Focus.Silo;

await FocusSiloApp.Create(args).RunAsync();
