using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>Many threads posting and taking at once: every packet is taken exactly once.</summary>
public class PortStressTests : IocpTest
{
    [Fact]
    public void PostQueuedCompletionStatus_FourPostersFourTakers_EveryPacketTakenOnce()
    {
        const int Posters = 4, Takers = 4, PerPoster = 5_000;
        var port = NewPort(2);
        var seen = new int[Posters * PerPoster];
        var posters = Enumerable.Range(0, Posters).Select(p => Run(() =>
        {
            for (int i = 0; i < PerPoster; i++) Assert.True(PostQueuedCompletionStatus(port, (uint)p, (nuint)(p * PerPoster + i), null));
        })).ToList();
        var takers = Enumerable.Range(0, Takers).Select(t => Run(() =>
        {
            var entries = new OVERLAPPED_ENTRY[16];
            while (true)
            {
                if (t % 2 == 0)
                {
                    if (!GetQueuedCompletionStatus(port, out _, out nuint key, out _, INFINITE)) return; // the port was closed
                    Interlocked.Increment(ref seen[(int)key]);
                }
                else
                {
                    if (!GetQueuedCompletionStatusEx(port, entries, 16, out uint n, INFINITE, false)) return;
                    for (int i = 0; i < n; i++) Interlocked.Increment(ref seen[(int)entries[i].lpCompletionKey]);
                }
            }
        })).ToList();
        foreach (var p in posters) Assert.True(p.Join(60_000));
        Eventually(() => seen.Sum() == seen.Length, "every packet to be taken", 60_000);
        Assert.True(CloseHandle(port));
        foreach (var t in takers) Assert.True(t.Join(10_000));
        Assert.All(seen, n => Assert.Equal(1, n));
    }

    [Fact]
    public void WSAIoctl_SioBaseHandleShortOutput_WSAEFAULT()
    {
        var s = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Fails(WSAEFAULT, WSAIoctl(s, SIO_BASE_HANDLE, null, 0, new byte[4], 4, out _, null, null));
        var output = new byte[8];
        Ok(WSAIoctl(s, SIO_BASE_HANDLE, null, 0, output, 8, out uint returned, null, null));
        Assert.Equal(8u, returned);
        Assert.Equal(s.Value, (nuint)BitConverter.ToUInt64(output));
    }
}
