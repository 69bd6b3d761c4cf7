using Focus.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;

// The REST gateway alone: an Orleans client of the cluster named by Focus:Cluster:*, with the same
// routes as the silo's co-hosted gateway. Run any number of them behind a load balancer.
var builder = WebApplication.CreateBuilder(args);
builder.AddFocusClusterClient();
builder.AddFocusGateway();

var app = builder.Build();
app.MapFocusGateway();
await app.RunAsync();
