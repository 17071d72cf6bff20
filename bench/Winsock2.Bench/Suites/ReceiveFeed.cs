using System.Net;
using System.Net.Sockets;
using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Suites;

/// <summary>
/// The sender side of the receive-path suite: a .NET listener on 127.0.0.1; for each run it accepts the receiver's
/// connection and a thread writes exactly the requested bytes in 64 KiB sends. Byte i of the stream is i mod 251,
/// so a receiver can check content and order.
/// </summary>
public sealed class ReceiveFeed : IDisposable
{
    public const int Modulus = 251;
    private const int Chunk = 64 * 1024;
    private static readonly byte[] Pattern = MakePattern();
    private readonly Socket _listener = Loopback.Listen(4);
    private Socket? _sender;
    private Thread? _thread;
    private volatile string? _failure;

    public IPEndPoint EndPoint => Loopback.EndPoint(_listener);

    public string? Failure => _failure;

    /// <summary>Accepts the receiver's connection and starts writing <paramref name="total"/> bytes to it.</summary>
    public void Start(long total, int sendBufferBytes)
    {
        _sender = _listener.Accept();
        _sender.SendBufferSize = sendBufferBytes;
        _sender.SendTimeout = 20_000;
        var s = _sender;
        _thread = new Thread(() =>
        {
            try
            {
                long sent = 0;
                while (sent < total)
                {
                    int off = (int)(sent % Modulus);
                    int n = (int)Math.Min(Chunk, total - sent);
                    sent += s.Send(Pattern, off, n, SocketFlags.None);
                }
            }
            catch (Exception e) { _failure = "feeder: " + e.Message; }
        }) { IsBackground = true, Name = "recv-feeder" };
        _thread.Start();
    }

    /// <summary>Waits (bounded) for the feeder thread; false if it is still running.</summary>
    public bool Finish() => _thread?.Join(20_000) ?? true;

    /// <summary>True when <paramref name="data"/> is the stream's content starting at <paramref name="offset"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> data, long offset) =>
        data.SequenceEqual(Pattern.AsSpan((int)(offset % Modulus), data.Length));

    public void Dispose()
    {
        _sender?.Dispose();
        _listener.Dispose();
        Finish();
    }

    private static byte[] MakePattern()
    {
        var p = new byte[Chunk * 2 + Modulus];
        for (int i = 0; i < p.Length; i++) p[i] = (byte)(i % Modulus);
        return p;
    }
}
