using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests;

/// <summary>Helpers the tests share: WSAStartup per test, loopback endpoints, connected pairs.</summary>
public abstract class WinsockTest : IDisposable
{
    protected WinsockTest()
    {
        Assert.Equal(0, WSAStartup(0x0202, out _));
    }

    public virtual void Dispose() => WSACleanup();

    protected static byte[] Loopback(int port = 0) => SockAddr.From(new IPEndPoint(IPAddress.Loopback, port));
    protected static byte[] Loopback6(int port = 0) => SockAddr.From(new IPEndPoint(IPAddress.IPv6Loopback, port));

    protected static SOCKET Check(SOCKET s)
    {
        Assert.True(s.IsValid, $"expected a socket, got error {WSAGetLastError()}");
        return s;
    }

    protected static void Ok(int rc, string what = "")
    {
        Assert.True(rc != SOCKET_ERROR, $"{what} failed with {WSAGetLastError()}");
    }

    /// <summary>Asserts a call failed with exactly <paramref name="error"/>.</summary>
    protected static void Fails(int expectedError, int rc)
    {
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(expectedError, WSAGetLastError());
    }

    protected static void Fails(int expectedError, SOCKET s)
    {
        Assert.False(s.IsValid);
        Assert.Equal(expectedError, WSAGetLastError());
    }

    protected static int PortOf(SOCKET s)
    {
        var name = new byte[28];
        int len = name.Length;
        Ok(getsockname(s, name, ref len), "getsockname");
        return SockAddr.ToEndPoint(name).Port;
    }

    /// <summary>A listening TCP socket on 127.0.0.1 and its address.</summary>
    protected static (SOCKET Listener, byte[] Address) Listen(int af = AF_INET)
    {
        var l = Check(WSASocket(af, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
        var addr = af == AF_INET ? Loopback() : Loopback6();
        Ok(bind(l, addr, addr.Length), "bind");
        Ok(listen(l, 16), "listen");
        var bound = af == AF_INET ? Loopback(PortOf(l)) : Loopback6(PortOf(l));
        return (l, bound);
    }

    /// <summary>A connected TCP pair (client, server side) on loopback, both blocking and overlapped-capable.</summary>
    protected static (SOCKET Client, SOCKET Server) TcpPair(int af = AF_INET)
    {
        var (l, addr) = Listen(af);
        var c = Check(WSASocket(af, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
        Ok(connect(c, addr, addr.Length), "connect");
        var s = Check(accept(l));
        closesocket(l);
        return (c, s);
    }

    /// <summary>Two bound UDP sockets on loopback and their addresses.</summary>
    protected static (SOCKET A, byte[] AddrA, SOCKET B, byte[] AddrB) UdpPair(int af = AF_INET)
    {
        SOCKET Make(out byte[] addr)
        {
            var s = Check(WSASocket(af, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED));
            var any = af == AF_INET ? Loopback() : Loopback6();
            Ok(bind(s, any, any.Length), "bind");
            addr = af == AF_INET ? Loopback(PortOf(s)) : Loopback6(PortOf(s));
            return s;
        }
        var a = Make(out var aa);
        var b = Make(out var ba);
        return (a, aa, b, ba);
    }

    protected static byte[] Bytes(string s) => System.Text.Encoding.UTF8.GetBytes(s);
    protected static string Text(byte[] b, int n) => System.Text.Encoding.UTF8.GetString(b, 0, n);

    /// <summary>
    /// Runs <paramref name="body"/> on its own thread; <see cref="Worker.Join"/> rethrows whatever it threw, so an
    /// assertion on a worker fails the test instead of crashing the test host.
    /// </summary>
    protected static Worker Run(Action body) => new(body);

    /// <summary>A test's background thread whose failure surfaces on Join.</summary>
    protected sealed class Worker
    {
        private readonly Thread _thread;
        private Exception? _error;
        private Winsock2.Kernel.ThreadContext? _context;

        public Worker(Action body)
        {
            _thread = new Thread(() =>
            {
                _context = Winsock2.Kernel.ThreadContext.Current;
                try { body(); }
                catch (Exception e) { _error = e; }
            }) { IsBackground = true };
            _thread.Start();
        }

        /// <summary>The worker thread's managed id.</summary>
        public int ManagedThreadId => _thread.ManagedThreadId;

        /// <summary>
        /// The thread sleeps in a wait (a blocking call that gave up spinning, including one asleep in poll on its own
        /// socket, which the runtime counts as running), or has finished.
        /// </summary>
        public bool Sleeping => (_thread.ThreadState & (ThreadState.WaitSleepJoin | ThreadState.Stopped)) != 0
                                || _context?.Waiter.Asleep == true;

        /// <summary>The thread is inside a blocking Winsock call (asleep in it or not).</summary>
        public bool InBlockingCall => _context is { BlockingDepth: > 0 };

        /// <summary>Waits for it to finish; rethrows its exception.</summary>
        public void Join() => Join(Timeout.Infinite);

        /// <summary>True if it finished within the time; rethrows its exception.</summary>
        public bool Join(int ms)
        {
            bool done = _thread.Join(ms);
            if (_error is not null) throw new Xunit.Sdk.XunitException($"worker failed: {_error}");
            return done;
        }
    }

    /// <summary>The provider's socket object behind <paramref name="s"/> (tests look at its state).</summary>
    protected static T ContextOf<T>(SOCKET s) where T : class
    {
        Assert.True(Runtime.ApiInstance.Sockets.TryGet(s.Value, out var entry));
        return (T)entry.Context!;
    }

    /// <summary>Waits (bounded) until a condition holds; for conditions the test does not control the timing of.</summary>
    protected static void Eventually(Func<bool> condition, string what, int ms = 5000)
    {
        var deadline = Environment.TickCount64 + ms;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }
}
