namespace Winsock2.Tests.Examples;

/// <summary>
/// The multipoint programs of examples/Winsock2.Examples, run in this process on loopback: IP multicast through
/// WSAJoinLeaf on UDP (pinned to 127.0.0.1), and a rooted session joined from each side.
/// </summary>
public class MultipointExampleTests
{
    [Fact]
    public void Example_Multicast_EveryReceiverGetsEveryMessageInOrder()
    {
        var run = ExampleRun.Start("multicast", "0", "5", "2").Succeeded();
        for (int r = 1; r <= 2; r++)
        {
            var got = run.Lines.Where(l => l.StartsWith($"receiver {r} got \"", StringComparison.Ordinal)).ToArray();
            Assert.Equal(Enumerable.Range(1, 5).Select(m => $"receiver {r} got \"multicast message {m} of 5\" from 127.0.0.1"), got);
            run.Printed($"multicast: receiver {r} got 5 of 5 messages");
        }
        run.Printed("multicast: sender sent 5 messages to the group");
    }

    [Fact]
    public void Example_RootedLeafJoin_CallerAndCalleeDataThenFanOutAndReplies()
    {
        var run = ExampleRun.Start("rooted-leaf-join", "0", "3").Succeeded();
        for (int id = 1; id <= 3; id++)
        {
            run.Printed($"rooted-leaf-join: leaf {id} joined, the root answered \"welcome, leaf {id}\"")
               .Printed($"rooted-leaf-join: leaf {id} got \"hello, leaves\"")
               .Printed($"rooted-leaf-join: root got \"thanks from leaf {id}\"")
               .Printed($"rooted-leaf-join: leaf {id} got \"goodbye\"");
        }
        run.Printed("rooted-leaf-join: 3 leaves joined");
    }

    [Fact]
    public void Example_RootedRootInvite_LeavesAcceptInvitationThenFanOutAndReplies()
    {
        var run = ExampleRun.Start("rooted-root-invite", "3").Succeeded();
        for (int id = 1; id <= 3; id++)
        {
            run.Printed($"rooted-root-invite: leaf {id} accepted the invitation")
               .Printed($"rooted-root-invite: leaf {id} got \"hello, leaves\"")
               .Printed($"rooted-root-invite: root got \"thanks from leaf {id}\"")
               .Printed($"rooted-root-invite: leaf {id} got \"goodbye\"");
        }
        var answers = run.Lines.Where(l => l.StartsWith("rooted-root-invite: root invited a leaf", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(1, 3).Select(id => $"rooted-root-invite: root invited a leaf, which answered \"leaf {id} accepts\""), answers);
        run.Printed("rooted-root-invite: 3 leaves joined");
    }
}
