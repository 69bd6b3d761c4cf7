using System.Net;
using System.Net.Sockets;

namespace Focus.Grains.Analyzers;

/// <summary>
/// This host's stream ports (<c>Focus:Streams:PortRange</c>). A port is handed out only after a
/// probe bind succeeds, so ports other processes hold are skipped rather than double-booked;
/// the search resumes after the last port given, so a just-freed port rests before reuse.
/// </summary>
public sealed class StreamPortPool
{
    private readonly object _gate = new();
    private readonly HashSet<int> _rented = [];
    private readonly Dictionary<int, long> _restingUntil = []; // port → Environment.TickCount64
    private readonly int _first;
    private readonly int _last;
    private readonly IPAddress _bindAddress;
    private int _next;

    public StreamPortPool(int first, int last, IPAddress bindAddress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        (_first, _last, _bindAddress, _next) = (first, last, bindAddress, first);
    }

    public int Capacity => _last - _first + 1;

    public int InUse
    {
        get { lock (_gate) return _rented.Count; }
    }

    /// <summary>Takes a free port, or false when every port is rented or held by another process.</summary>
    public bool TryRent(out int port)
    {
        lock (_gate)
        {
            for (var tried = 0; tried < Capacity; tried++)
            {
                var candidate = _next;
                _next = candidate == _last ? _first : candidate + 1;
                if (_rented.Contains(candidate) || IsResting(candidate) || !IsFree(candidate)) continue;
                _rented.Add(candidate);
                port = candidate;
                return true;
            }
        }

        port = 0;
        return false;
    }

    public void Release(int port)
    {
        lock (_gate) _rented.Remove(port);
    }

    /// <summary>
    /// Gives back a rented port that another process took between the probe and the bind, and skips
    /// it for <paramref name="duration"/>; it does not count as in use meanwhile.
    /// </summary>
    public void ReleaseTaken(int port, TimeSpan duration)
    {
        lock (_gate)
        {
            _rented.Remove(port);
            _restingUntil[port] = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        }
    }

    private bool IsResting(int port)
    {
        if (!_restingUntil.TryGetValue(port, out var until)) return false;
        if (Environment.TickCount64 < until) return true;
        _restingUntil.Remove(port);
        return false;
    }

    private bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(_bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel binds on Linux (SO_REUSEADDR): a port another process listens on is refused, but one
            // resting in TIME_WAIT after a job's server closed is usable, and must not be skipped.
            if (!OperatingSystem.IsWindows()) probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            probe.Bind(new IPEndPoint(_bindAddress, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
