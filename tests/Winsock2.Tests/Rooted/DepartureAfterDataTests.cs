using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>FD_CLOSE on the root's socket for a leaf that sent data just before it left.</summary>
public class DepartureAfterDataTests : RootedTest
{
    // Regression: the root socket taking a leaf's last message must let that leaf's socket record its FD_CLOSE.
    [Fact]
    public void LeafHandle_LeafSentThenLeft_RootReadsMessage_HandleGetsFdClose()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(handle, ev, FD_CLOSE));
        SendText(leaf, "last words");
        Ok(closesocket(leaf));
        Eventually(() => { uint n = 0; ioctlsocket(root, FIONREAD, ref n); return n > 0; }, "the message at the root");
        Thread.Sleep(200); // let the departure arrive after the message
        Assert.Equal("last words", RecvText(root)); // read through the root socket, not the handle
        var rec = WaitEvents(handle, ev, FD_CLOSE, 3000);
        Assert.Equal(0, rec.iErrorCode[FD_CLOSE_BIT]);
    }
}
