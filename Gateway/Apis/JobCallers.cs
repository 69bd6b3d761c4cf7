using Focus.Grains.Jobs;
using Microsoft.AspNetCore.Http;

namespace Focus.Gateway.Apis;

/// <summary>The <see cref="JobCaller"/> of a request: its authenticated identity, else its remote address.</summary>
public static class JobCallers
{
    public static JobCaller Of(HttpContext http)
    {
        var name = http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } identity } ? identity : null;
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return new JobCaller(name ?? address, name);
    }
}
