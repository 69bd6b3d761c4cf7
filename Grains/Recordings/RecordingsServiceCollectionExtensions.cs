using Focus.Analyzer.Historic;
using Focus.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Recordings;

public static class RecordingsServiceCollectionExtensions
{
    /// <summary>
    /// Historic storage and its catalog: <c>Focus:Storage:MountPath</c> (empty: <see cref="SampleRecordings.DefaultFolder"/>,
    /// filled with a generated sample at start), <c>Focus:Catalog</c> (validated at start) and the
    /// <see cref="IRecordingCatalog"/> of its kind. Call after <c>AddFocusAnalyzer</c>.
    /// </summary>
    public static IServiceCollection AddFocusRecordings(this IServiceCollection services, IConfiguration configuration)
    {
        services.PostConfigure<StorageOptions>(o =>
        {
            if (o.MountPath.Length == 0) o.MountPath = SampleRecordings.DefaultFolder;
        });
        services.AddValidatedOptions<CatalogOptions, CatalogOptionsValidator>(configuration.GetSection(CatalogOptions.Section));
        services.AddHostedService<SampleRecordings>(); // before the catalog indexes the folder
        services.AddMetrics();
        services.TryAddSingleton<RecordingInstruments>();

        switch (ConfigEnum.GetOrDefaults<CatalogOptions>(configuration.GetSection(CatalogOptions.Section)).Kind)
        {
            case CatalogKind.Postgres:
                services.AddSingleton<PostgresRecordingCatalog>();
                services.AddSingleton<IRecordingCatalog>(sp => sp.GetRequiredService<PostgresRecordingCatalog>());
                services.AddHostedService(sp => sp.GetRequiredService<PostgresRecordingCatalog>());
                break;
            case CatalogKind.Mongo:
                services.AddSingleton<IRecordingCatalog, MongoRecordingCatalog>();
                break;
            default: // folder; an unknown kind stops the process at start (CatalogOptionsValidator)
                services.AddSingleton<FolderRecordingCatalog>();
                services.AddSingleton<IRecordingCatalog>(sp => sp.GetRequiredService<FolderRecordingCatalog>());
                services.AddHostedService(sp => sp.GetRequiredService<FolderRecordingCatalog>());
                break;
        }
        return services;
    }
}
