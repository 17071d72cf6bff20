using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>FD_CLOSE on the root's socket for a leaf that sent data just before it left.</summary>
public class DepartureAfterDataTests : RootedTest
{
    // Provider bug (reported, not fixed here: Providers/Rooted is being edited in parallel): LeafLeft records FD_READ on
    // the handle while that leaf's message is queued; when the root socket takes the message, only the root's events are
    // re-derived, so the handle's FD_CLOSE is never recorded. Winsock2.Multipoint works around it with a MSG_PEEK probe.
    [Fact(Skip = "provider bug: a leaf handle's FD_CLOSE is lost when the root socket reads that leaf's last message")]
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
