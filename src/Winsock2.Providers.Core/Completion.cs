using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// Delivers finished requests the way the SPI prescribes for a non-IFS provider: with a completion routine, fill the
/// WSAOVERLAPPED and queue the provider's APC trampoline to the initiating thread (which calls the client's routine);
/// without one, WPUCompleteOverlappedRequest on the socket's handle (the API layer fills the structure, sets hEvent and
/// queues the packet to the completion port the socket is associated with); a blocked thread is simply woken. Without
/// an owner socket (or once its handle is gone) the structure is filled and hEvent set here. A request naming another
/// completion (<see cref="IoRequest.CompletesThrough"/>) is delivered by that one, whichever queue finishes it.
/// </summary>
internal sealed class Completion(WSPUPCALLTABLE upcalls, IProviderSocket? owner = null)
{
    /// <summary>
    /// Per thread: the sockets whose routine is running now (innermost last; rarely more than one), with the
    /// routines that must wait for it. A list searched linearly: no hashing and no allocation per routine.
    /// </summary>
    [ThreadStatic] private static List<Running>? t_running;

    private struct Running(Completion owner)
    {
        public readonly Completion Owner = owner;
        public Queue<IoRequest>? Waiting;
    }

    private LPWSAUSERAPC? _trampoline;

    /// <summary>The owner's file object (its port association), kept by <see cref="KeepFile"/>, or null.</summary>
    private IoFile? _file;

    /// <summary>
    /// Keeps the owner's file object while its handle lives, for requests that may finish after closesocket released
    /// the handle (one served by a thread of its own, which closesocket only wakes): their packet still goes to the port
    /// the handle was associated with, as Windows keeps the file object until its I/O is done.
    /// </summary>
    public void KeepFile()
    {
        if (owner?.Handle is { IsValid: true } h && IoFiles.Find((nint)h.Value) is { } file) _file = file;
    }

    /// <summary>Records the result and notifies whoever waits for it.</summary>
    public void Complete(IoRequest r, int error, int bytes, int flags) => Complete(r, error, bytes, flags, synchronous: false);

    private void Complete(IoRequest r, int error, int bytes, int flags, bool synchronous)
    {
        if (r.CompletesThrough is { } through && through != this)
        {
            through.Complete(r, error, bytes, flags, synchronous);
            return;
        }
        r.Error = error;
        r.Bytes = bytes;
        r.OutFlags = flags;
        r.Rundown?.Dispose();
        r.Rundown = null;
        // Read what the notification needs before Done is published: a blocked thread that sees Done may recycle
        // the request and reuse it for its next call at once.
        var routine = r.Routine;
        var overlapped = r.Overlapped;
        var thread = r.Thread;
        var waiter = r.Waiter;
        if (overlapped is not null && routine is null)
        {
            r.Done = true;
            Deliver(overlapped, error, bytes, flags, synchronous);
            return;
        }
        if (overlapped is not null) overlapped.Complete(error, bytes, flags);
        r.Done = true;
        if (routine is not null)
        {
            // A request with a routine is not recycled until its routine has run, so r is still this request.
            if (thread is null || upcalls.WPUQueueApc(thread, _trampoline ??= Trampoline, r, out _) != 0)
                Diagnostics.CallbackFailed("completion routine", new InvalidOperationException("initiating thread is gone"));
        }
        else
        {
            waiter?.Waiter.Wake();
        }
    }

    /// <summary>
    /// An overlapped request without a routine: through WPUCompleteOverlappedRequest on the owner's handle (flags go in
    /// Offset, which the upcall keeps), marked synchronous when it completes inside its own call; without a live handle,
    /// filled and signalled here (and queued to the port of the file object <see cref="KeepFile"/> kept).
    /// </summary>
    private void Deliver(WSAOVERLAPPED overlapped, int error, int bytes, int flags, bool synchronous)
    {
        var s = owner?.Handle ?? SOCKET.Invalid;
        if (s.IsValid)
        {
            overlapped.Offset = (uint)flags;
            if (synchronous) IoFiles.BeginSynchronous(overlapped);
            int rc;
            try { rc = Ws2Spi.WPUCompleteOverlappedRequest(s, overlapped, (uint)error, (uint)bytes, out _); }
            finally { if (synchronous) IoFiles.EndSynchronous(); }
            if (rc == 0) return;
        }
        var hEvent = overlapped.hEvent;
        var binding = IoFiles.SkipsPort(hEvent) ? null : _file?.Binding;
        overlapped.Complete(error, bytes, flags);
        var ev = IoFiles.EventOf(hEvent);
        if (ev.IsValid) upcalls.WPUSetEvent(ev, out _);
        binding?.Port.Post(binding.Key, overlapped, (uint)bytes, IoFiles.Win32Status(error));
    }

    /// <summary>
    /// An overlapped request that finished before its call returns: its WSAOVERLAPPED is started, then the request
    /// completes (successfully) as any other does (routine queued, or hEvent set).
    /// </summary>
    public void CompleteAtOnce(IoRequest r, int bytes, int flags)
    {
        r.Overlapped?.Start();
        Complete(r, 0, bytes, flags, synchronous: true);
    }

    /// <summary>
    /// An overlapped request that pends (its call returns WSA_IO_PENDING): its WSAOVERLAPPED is started, and the event
    /// it is to signal (when no routine is given) is reset through the upcall table, so it is set only by the completion.
    /// </summary>
    public void Pend(IoRequest r)
    {
        var ov = r.Overlapped;
        ov?.Start();
        if (ov is not null && r.Routine is null && IoFiles.EventOf(ov.hEvent) is { IsValid: true } ev) upcalls.WPUResetEvent(ev, out _);
    }

    /// <summary>
    /// The APC the provider queues (one context value): calls the client's routine. Routines for one socket
    /// never nest: one that arrives while another of this socket runs on this thread waits until it returns.
    /// </summary>
    private void Trampoline(object? context)
    {
        var r = (IoRequest)context!;
        var running = t_running ??= new List<Running>(2);
        for (int i = 0; i < running.Count; i++)
        {
            if (running[i].Owner != this) continue;
            var frame = running[i];
            (frame.Waiting ??= new Queue<IoRequest>()).Enqueue(r);
            running[i] = frame;
            return;
        }
        int depth = running.Count;
        running.Add(new Running(this));
        try
        {
            Invoke(r);
            while (running[depth].Waiting is { } waiting && waiting.TryDequeue(out var next)) Invoke(next);
        }
        finally { running.RemoveAt(depth); }
    }

    private static void Invoke(IoRequest r)
    {
        try { r.Routine!((uint)r.Error, (uint)r.Bytes, r.Overlapped!, (uint)r.OutFlags); }
        catch (Exception e) { Diagnostics.CallbackFailed("completion routine", e); }
        r.Recycle(); // the routine was the last holder (only requests the provider rented are recycled)
    }
}
