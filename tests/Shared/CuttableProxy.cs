using System.Net;
using System.Net.Sockets;

namespace OpenConduct.Tests.Shared;

/// <summary>A loopback TCP proxy to a local port that can be cut (open connections reset, new ones closed at once) and restored.</summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int target;
    private readonly List<TcpClient> open = [];
    private readonly CancellationTokenSource stop = new();
    private volatile bool cut;
    private Task? accepting;

    private CuttableProxy(int target) => this.target = target;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static CuttableProxy Start(int target)
    {
        var proxy = new CuttableProxy(target);
        proxy.listener.Start();
        proxy.accepting = proxy.AcceptAsync();
        return proxy;
    }

    public void Cut()
    {
        cut = true;
        lock (open)
        {
            foreach (var client in open)
            {
                Reset(client);
            }

            open.Clear();
        }
    }

    public void Restore() => cut = false;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        Cut();
        try
        {
            await (accepting ?? Task.CompletedTask);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            if (cut)
            {
                Reset(client);
                continue;
            }

            _ = PumpAsync(client);
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, target);
            lock (open)
            {
                open.Add(client);
                open.Add(upstream);
            }

            var a = client.GetStream().CopyToAsync(upstream.GetStream());
            var b = upstream.GetStream().CopyToAsync(client.GetStream());
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            lock (open)
            {
                open.Remove(client);
                open.Remove(upstream);
            }

            client.Dispose();
            upstream.Dispose();
        }
    }

    /// <summary>Closes a connection with a reset (no graceful close), as a network failure would.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        client.Dispose();
    }
}
