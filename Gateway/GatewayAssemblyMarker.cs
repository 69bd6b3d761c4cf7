namespace Focus.Gateway; internal static class GatewayAssemblyMarker { }
