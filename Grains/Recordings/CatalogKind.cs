namespace Focus.Grains.Recordings;

/// <summary>The values of <c>Focus:Catalog:Kind</c> (configuration spells them in lower case).</summary>
public enum CatalogKind
{
    /// <summary>The storage folder itself.</summary>
    Folder,

    Postgres,

    Mongo,
}
