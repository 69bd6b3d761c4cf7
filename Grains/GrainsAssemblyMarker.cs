namespace Focus.Grains; internal static class GrainsAssemblyMarker { }
