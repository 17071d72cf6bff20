using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>bind on rooted sockets: a port a root listens on is taken.</summary>
public class BindTests : RootedTest
{
    [Fact]
    public void bind_PortARootListensOn_WSAEADDRINUSE()
    {
        var (_, addr) = ListeningRoot();
        var second = NewRoot();
        Fails(WSAEADDRINUSE, bind(second, addr, addr.Length));
    }

    [Fact]
    public void bind_PortALeafListensOn_WSAEADDRINUSE()
    {
        var (_, addr) = ListeningLeaf();
        var second = NewLeaf();
        Fails(WSAEADDRINUSE, bind(second, addr, addr.Length));
    }
}
