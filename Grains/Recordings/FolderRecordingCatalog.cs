using Focus.Analyzer.Historic;
using Focus.Analyzer.Historic.Formats;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Recordings;

/// <summary>
/// The embedded catalog: the storage folder itself. Indexed at start-up (every <c>*.h5</c>/<c>*.hdf5</c>/<c>*.he5</c> and
/// <c>*.sgy</c>/<c>*.segy</c> below <c>Focus:Storage:MountPath</c>, headers read with <see cref="RecordingFormats"/>: PRODML,
/// Terra15 or Silixa HDF5, SEG-Y), then kept current by a
/// <see cref="FileSystemWatcher"/> and a rescan every <see cref="CatalogOptions.RescanInterval"/> (watchers miss
/// events on network mounts), so a new file is listed within 5 s. Files that are no playable recording (including
/// hostile ones: whatever a file claims is checked by its reader) are skipped with a logged reason
/// and counted (<c>focus_recordings_skipped_total{reason}</c>); no file can stop the scan. A file is read again only
/// when its size or time changes.
/// </summary>
public sealed partial class FolderRecordingCatalog(
    IOptions<StorageOptions> storage,
    IOptions<CatalogOptions> options,
    RecordingInstruments instruments,
    ILogger<FolderRecordingCatalog> logger) : IRecordingCatalog, IHostedService, IDisposable
{
    private readonly Dictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _scan = new(1, 1);
    private readonly TaskCompletionSource _indexed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RecordingInfo[] _recordings = [];
    private IReadOnlyDictionary<string, string> _skipped = new Dictionary<string, string>();
    private FileSystemWatcher? _watcher;
    private Task _loop = Task.CompletedTask;
    private int _changed;
    private int _disposed;

    public string Kind => "folder";

    private string Root => storage.Value.MountPath;

    /// <summary>The files the last scan skipped (absolute path → reason).</summary>
    public IReadOnlyDictionary<string, string> Skipped => Volatile.Read(ref _skipped);

    public async Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        await _indexed.Task.WaitAsync(cancellationToken);
        if (!Directory.Exists(Root))
            throw new CatalogUnavailableException($"the storage folder {Root} (Focus:Storage:MountPath) does not exist");
        return Volatile.Read(ref _recordings).Where(r => r.Overlaps(start, end)).ToArray();
    }

    public Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        if (!_indexed.Task.IsCompleted)
            throw new CatalogUnavailableException($"the storage folder {Root} is still being indexed");
        try
        {
            // Listing one entry proves the mount is there and readable (a stale network mount throws here).
            _ = Directory.EnumerateFileSystemEntries(Root).FirstOrDefault();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CatalogUnavailableException($"the storage folder {Root} (Focus:Storage:MountPath) cannot be read: {ex.Message}", ex);
        }
        return Task.CompletedTask;
    }

    /// <summary>Scans the folder now (the watcher and the timer call this too).</summary>
    public async Task RescanAsync(CancellationToken cancellationToken)
    {
        await _scan.WaitAsync(cancellationToken);
        try
        {
            Scan();
        }
        finally
        {
            _scan.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.Run(() => RescanAsync(cancellationToken), cancellationToken);
        _indexed.TrySetResult();
        LogIndexed(Root, _recordings.Length);
        TryWatch();
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0) await _stop.CancelAsync();
        _watcher?.Dispose();
        await _loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        // DI may dispose this twice (it is registered as itself, as the catalog and as a hosted service).
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _watcher?.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.RescanInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Rescan at the interval, or soon after the watcher saw a change.
                for (var waited = TimeSpan.Zero; waited < interval && Interlocked.Exchange(ref _changed, 0) == 0; waited += TimeSpan.FromMilliseconds(200))
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                await RescanAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogScanFault(ex);
            }
        }
    }

    private void TryWatch()
    {
        if (!Directory.Exists(Root)) return;
        try
        {
            _watcher = new FileSystemWatcher(Root) { IncludeSubdirectories = true, EnableRaisingEvents = true };
            FileSystemEventHandler changed = (_, _) => Interlocked.Exchange(ref _changed, 1);
            _watcher.Created += changed;
            _watcher.Changed += changed;
            _watcher.Deleted += changed;
            _watcher.Renamed += (_, _) => Interlocked.Exchange(ref _changed, 1);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            LogWatchFailed(Root, ex.Message); // the periodic rescan still finds new files
        }
    }

    private void Scan()
    {
        if (!Directory.Exists(Root))
        {
            if (_files.Count > 0 || !_indexed.Task.IsCompleted) LogMissingRoot(Root);
            _files.Clear();
            Volatile.Write(ref _recordings, []);
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changed = false;
        foreach (var path in Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            if (!RecordingFormats.IsRecordingFile(path) || IsHidden(path)) continue;
            seen.Add(path);
            FileInfo info;
            try
            {
                info = new FileInfo(path);
            }
            catch (IOException)
            {
                continue;
            }
            if (_files.TryGetValue(path, out var known) && known.Length == info.Length && known.WrittenAt == info.LastWriteTimeUtc) continue;
            var (recording, skipped) = Describe(path);
            _files[path] = new Entry(info.Length, info.LastWriteTimeUtc, recording, skipped);
            changed = true;
        }
        foreach (var gone in _files.Keys.Where(p => !seen.Contains(p)).ToList())
        {
            _files.Remove(gone);
            changed = true;
        }
        if (!changed) return;
        Volatile.Write(ref _recordings, _files.Values.Select(e => e.Recording).OfType<RecordingInfo>().OrderBy(r => r.Start).ThenBy(r => r.Path, StringComparer.Ordinal).ToArray());
        Volatile.Write(ref _skipped, _files.Where(f => f.Value.Skipped is not null).ToDictionary(f => f.Key, f => f.Value.Skipped!, StringComparer.Ordinal));
    }

    /// <summary>Files under a folder whose name starts with '.' are work in progress (a recorder's scratch space).</summary>
    private bool IsHidden(string path) =>
        Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));

    /// <summary>The file's recording, or why it is skipped: a hostile file may fail anywhere, and only itself.</summary>
    private (RecordingInfo? Recording, string? Skipped) Describe(string path)
    {
        string reason, kind;
        try
        {
            var header = RecordingFormats.ReadHeader(path);
            return (new RecordingInfo
            {
                Id = Path.GetRelativePath(Root, path),
                Path = path,
                Start = header.Start,
                End = header.End,
                Prr = header.Prr,
                Channels = header.Channels,
                Dx = header.Dx,
            }, null);
        }
        catch (RecordingFormatException ex)
        {
            (reason, kind) = (ex.Message, ex.Problem switch
            {
                RecordingProblem.NoRawData => "no_raw_data",
                RecordingProblem.UnsupportedFormat => "unsupported_format",
                _ => "invalid",
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            (reason, kind) = ($"{Path.GetFileName(path)}: unreadable: {ex.Message}", "unreadable");
        }
        LogSkipped(path, reason);
        instruments.Skipped(kind);
        return (null, reason);
    }

    private sealed record Entry(long Length, DateTime WrittenAt, RecordingInfo? Recording, string? Skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording catalog (folder) indexed {Root}: {Count} recordings")]
    private partial void LogIndexed(string root, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording skipped: {Path}: {Reason}")]
    private partial void LogSkipped(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The storage folder {Root} does not exist; the catalog is empty")]
    private partial void LogMissingRoot(string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Root} ({Reason}); new files are found by the periodic rescan")]
    private partial void LogWatchFailed(string root, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rescanning the storage folder failed")]
    private partial void LogScanFault(Exception exception);
}
