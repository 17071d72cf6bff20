using System.Reflection;
using Winsock2.Kernel;
using Xunit.Sdk;

namespace Winsock2.Tests.Architecture;

/// <summary>The guard that turns an internal failure on any thread into the failure of the test it happened in.</summary>
public sealed class InternalFailureGuardTests
{
    [Fact]
    public void InternalFailureGuard_AppliedToEveryTest_WatchesThisOne()
    {
        Assert.Equal($"{nameof(InternalFailureGuardTests)}.{nameof(InternalFailureGuard_AppliedToEveryTest_WatchesThisOne)}",
            InternalFailureGuardAttribute.Watching);
    }

    [Fact]
    public void InternalFailureGuard_FailureOnAnotherThread_FailsTheTest()
    {
        var guard = new InternalFailureGuardAttribute();
        var method = MethodBase.GetCurrentMethod() as MethodInfo;
        // Run the guard's own cycle around a background failure (the outer cycle of this test stays clean).
        guard.After(method!); // close the outer watch; reopened below
        guard.Before(method!);
        var t = new Thread(() => Diagnostics.InternalFailure("test thread", new InvalidOperationException("boom")));
        t.Start();
        t.Join();
        var e = Assert.Throws<XunitException>(() => guard.After(method!));
        Assert.Contains("test thread: System.InvalidOperationException: boom", e.Message);
        guard.Before(method!); // the outer cycle's After runs next, with nothing reported
    }

    [Fact]
    public void InternalFailureGuard_ApplicationCallbackFailure_DoesNotFailTheTest()
    {
        var guard = new InternalFailureGuardAttribute();
        var method = (MethodInfo)MethodBase.GetCurrentMethod()!;
        guard.After(method);
        guard.Before(method);
        Diagnostics.CallbackFailed("completion routine", new InvalidOperationException("the application's own bug"));
        guard.After(method);
        guard.Before(method);
    }
}
