using Winsock2.Interop;
using Winsock2.Kernel;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Input readiness the reactor need not see. While one thread reads a stream call after call and every call finds
/// data, nothing waits for the socket's readability: yet the reactor, watching EPOLLIN, was woken by each arrival (for
/// a 64 KiB send, about one wake-up per packet), took the socket's lock and found nothing to do — a third thread's
/// work on every message, on the sender's and the reactor's CPU. After <see cref="QuietAfter"/> receives in a row that
/// completed at once, each of at least <see cref="QuietMinimumBytes"/>, the registration stops watching EPOLLIN and
/// EPOLLPRI (writability and hang-up stay watched); whatever needs them again — a receive that must wait or pend, a
/// select, an event selection — restores them first, and the kernel then reports the readiness already there, so
/// nothing is missed. While input is quiet the reactor's EPOLLPRI warning (<see cref="_urgentHint"/>) cannot come, so
/// a receive asks the kernel whether it is at the urgent mark (the one place where a normal read would make Linux drop
/// the urgent byte) before it reads.
/// </summary>
internal sealed partial class InetSocket
{
    /// <summary>Receives in a row that completed at once before input readiness goes unwatched.</summary>
    private const int QuietAfter = 4;

    /// <summary>
    /// The smallest receive that counts towards going quiet. The check at the urgent mark costs a system call per
    /// receive, the reactor's wake-up one per arrival: small receives are many per arrival (a 64-byte read takes a
    /// thousand calls to drain one 64 KiB send), so for them the wake-ups cost less than the checks would.
    /// </summary>
    private const uint QuietMinimumBytes = 4096;

    /// <summary>What the registration watches while input is quiet.</summary>
    private const uint QuietEvents = Libc.EPOLLOUT | Libc.EPOLLRDHUP;

    /// <summary>The registration leaves out EPOLLIN and EPOLLPRI.</summary>
    private bool _inputQuiet;

    /// <summary>Receives that completed at once since input readiness was last needed.</summary>
    private int _immediateReceives;

    /// <summary>Threads in select on this socket (each needs input readiness).</summary>
    private int _selecting;

    /// <summary>
    /// A receive on a stream is about to read at once (under the lock): counts it, and stops watching input once
    /// enough came in a row and nothing else needs it. False when a quiet stream is at the urgent mark: the caller
    /// must take the path that keeps the urgent byte (<see cref="KeepUrgentByte"/>), which this makes poll.
    /// </summary>
    private bool NoteImmediateReceive(uint length)
    {
        if (!_inputQuiet)
        {
            if (length < QuietMinimumBytes)
            {
                _immediateReceives = 0;
                return true;
            }
            if (++_immediateReceives < QuietAfter || !CanQuietInput() || !Reactor.Shared.Modify(_fd, _reactorId, QuietEvents))
                return true;
            _inputQuiet = true;
        }
        if (OobInline || !SocketCalls.AtMark(_handle)) return true;
        _checkMark = true;
        return false;
    }

    /// <summary>Nothing but the reading thread needs to hear of input readiness.</summary>
    private bool CanQuietInput() =>
        IsStream && _conn == ConnState.Connected && !_closed && !_listening && !Events.Active && _recvQ.IsEmpty
        && _selecting == 0 && (Flags & Ws2Spi.WSA_FLAG_REGISTERED_IO) == 0;

    /// <summary>
    /// Something is about to wait for input readiness (under the lock): the registration watches everything again,
    /// and the kernel reports the readiness already there.
    /// </summary>
    private void WatchInput()
    {
        _immediateReceives = 0;
        if (!_inputQuiet) return;
        _inputQuiet = false;
        if (!_closed) Reactor.Shared.Modify(_fd, _reactorId, Reactor.AllEvents);
    }

    /// <summary>Longest sleep of <see cref="WaitOnOwnSocket"/> between looks at the queue.</summary>
    private const int OwnSleepSliceMs = 1000;

    /// <summary>
    /// A blocking receive on a quiet stream found no data: instead of restoring the watch and waiting for the reactor to
    /// hand the data over (a wake-up of the reactor, then of this thread), it sleeps in poll(2) on its own socket and on
    /// a wake descriptor (<see cref="SocketWait"/>) and completes the queued receives itself when it wakes,
    /// as the baseline's blocking socket sleeps in the kernel's recv. Its request stays queued, so posting order holds:
    /// whoever completes the queue (this thread, or the reactor once another call restored the watch) completes it
    /// first. closesocket and WSACancelBlockingCall wake the thread as they wake any blocking call; SO_RCVTIMEO applies.
    /// Each sleep lasts at most <see cref="OwnSleepSliceMs"/> (a thread that could not get a wake descriptor sleeps
    /// without watching the socket; then it still looks once a second).
    /// </summary>
    private int WaitOnOwnSocket(IoRequest r) => _recvQ.Wait(r, RecvTimeoutMs, this, static (s, ms) => s.SleepOnOwnSocket(ms));

    private void SleepOnOwnSocket(int ms)
    {
        int slice = ms < 0 || ms > OwnSleepSliceMs ? OwnSleepSliceMs : ms;
        SocketWait.Sleep(ThreadContext.Current.Waiter, _fd, (short)(Libc.POLLIN | Libc.POLLPRI | Libc.POLLRDHUP), slice);
        lock (Gate)
        {
            if (!_closed) PumpReceives();
        }
    }

    /// <summary>A new registration (a replaced descriptor) watches everything.</summary>
    private void InputWatchedAfresh()
    {
        _inputQuiet = false;
        _immediateReceives = 0;
    }
}
