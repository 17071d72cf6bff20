using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// What event selection (<see cref="EventSelection"/>: WSAEventSelect / WSAAsyncSelect / WSAEnumNetworkEvents) needs of a
/// rooted socket, and the threads waiting for its readiness.
/// </summary>
internal abstract partial class RootedSocket
{
    private readonly ReadyWaiters _readyWaiters;

    public void AddReadyWaiter(ThreadContext ctx) => _readyWaiters.Add(ctx);
    public void RemoveReadyWaiter(ThreadContext ctx) => _readyWaiters.Remove(ctx);

    /// <summary>How many threads wait for this socket's readiness now (a test seam: a select is known to be waiting).</summary>
    internal int ReadyWaiterCount
    {
        get { lock (Gate) return _readyWaiters.Snapshot().Length; }
    }

    /// <summary>Wakes threads waiting for any change (select, blocking send, accept, join). Under the lock.</summary>
    public void WakeReadyWaiters() => _readyWaiters.WakeAll();

    /// <summary>A blocking wait (alertable) until <paramref name="done"/> holds or the timeout passes.</summary>
    protected int WaitFor(Func<bool> done, int timeoutMs) => _readyWaiters.WaitFor(done, static d => d(), timeoutMs);

    /// <summary>A blocking wait without a timeout that sleeps with <paramref name="sleep"/> (see <see cref="Waits.BlockingWait{TState}(TState, Func{TState, bool}, int, Action{TState, int})"/>).</summary>
    protected int WaitFor<TState>(TState state, Func<TState, bool> done, Action<TState, int> sleep) =>
        _readyWaiters.WaitFor(state, done, -1, sleep);

    /// <summary>The selection was (re)made (under the lock): FD_WRITE if the member may send, then the level-triggered events.</summary>
    public void OnSelectionChanged()
    {
        if (Joined && !WriteBlocked) Events.Signal(Ws2Spi.FD_WRITE, 0);
        RefreshEvents();
    }

    bool IEventSelectable.IsClosed => Closed;
    bool IEventSelectable.NonBlocking { get => NonBlocking; set => NonBlocking = value; }
}
