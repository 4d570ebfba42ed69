using System.Net;
using System.Net.Sockets;

namespace Gstd.Testing;

/// <summary>Loopback ports that nothing listens on, for silos and HTTP servers started by tests.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
