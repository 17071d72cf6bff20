using System.Collections.Concurrent;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>Something the reactor tells when its descriptor changes readiness.</summary>
internal interface IReadyHandler
{
    /// <summary>Called on the reactor thread with the epoll events that fired. Must not block.</summary>
    void OnReady(uint events);
}

/// <summary>
/// One epoll loop for every provider socket in the process (edge-triggered: each change of readiness is one
/// call). Handlers re-check the real state themselves, so Winsock's level-triggered events come out exact.
/// </summary>
internal sealed unsafe class Reactor
{
    private static readonly Lazy<Reactor> LazyShared = new(() => new Reactor());
    private readonly int _epfd;
    private readonly ConcurrentDictionary<ulong, IReadyHandler> _handlers = new();
    private long _nextId;

    public static Reactor Shared => LazyShared.Value;

    private Reactor()
    {
        _epfd = Libc.epoll_create1(0x80000);
        if (_epfd < 0) throw new InvalidOperationException($"epoll setup failed: errno {Libc.Errno}");
        var t = new Thread(Loop) { IsBackground = true, Name = "Winsock2 reactor" };
        t.Start();
    }

    /// <summary>Every readiness a handler is told of (edge-triggered).</summary>
    public const uint AllEvents = Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLPRI | Libc.EPOLLRDHUP | Libc.EPOLLET;

    /// <summary>Starts watching <paramref name="fd"/>; returns the registration id for <see cref="Unregister(int, ulong)"/>.</summary>
    public ulong Register(int fd, IReadyHandler handler) => Register(fd, handler, AllEvents);

    /// <summary>
    /// Starts watching <paramref name="fd"/> for <paramref name="events"/> (edge-triggered whatever is given; readiness
    /// already there is reported at once); returns the registration id, 0 if the kernel refused.
    /// </summary>
    public ulong Register(int fd, IReadyHandler handler, uint events)
    {
        var id = (ulong)Interlocked.Increment(ref _nextId);
        _handlers[id] = handler;
        if (Ctl(Libc.EPOLL_CTL_ADD, fd, events | Libc.EPOLLET, id) != 0)
        {
            _handlers.TryRemove(id, out _);
            return 0;
        }
        return id;
    }

    /// <summary>Changes what a registration watches; readiness already there is reported again. False if not registered.</summary>
    public bool Modify(int fd, ulong id, uint events) => id != 0 && Ctl(Libc.EPOLL_CTL_MOD, fd, events | Libc.EPOLLET, id) == 0;

    /// <summary>Stops watching (call before the descriptor is closed).</summary>
    public void Unregister(int fd, ulong id)
    {
        if (id == 0) return;
        _handlers.TryRemove(id, out _);
        Ctl(Libc.EPOLL_CTL_DEL, fd, 0, 0);
    }

    /// <summary>
    /// Stops watching the descriptor <paramref name="handle"/> owns, held for the call. A handle already closed (its
    /// descriptor closed underneath its owner) is only forgotten: the kernel dropped the registration with the socket,
    /// and the number may belong to another socket by now, whose registration a removal by number would take away.
    /// </summary>
    public void Unregister(SafeSocketHandle handle, ulong id)
    {
        using var held = new SocketCalls.Held(handle);
        if (held.Fd >= 0) Unregister(held.Fd, id);
        else if (id != 0) _handlers.TryRemove(id, out _);
    }

    /// <summary>
    /// As <see cref="Modify(int, ulong, uint)"/> for the descriptor <paramref name="handle"/> owns, held for the call;
    /// false for a handle already closed (the number may belong to another socket by now).
    /// </summary>
    public bool Modify(SafeSocketHandle handle, ulong id, uint events)
    {
        using var held = new SocketCalls.Held(handle);
        return held.Fd >= 0 && Modify(held.Fd, id, events);
    }

    private int Ctl(int op, int fd, uint events, ulong data)
    {
        if (Libc.PackedEpollEvent)
        {
            var ev = new Libc.epoll_event_packed { events = events, data = data };
            return Libc.epoll_ctl(_epfd, op, fd, &ev);
        }
        var ev2 = new Libc.epoll_event_aligned { events = events, data = data };
        return Libc.epoll_ctl(_epfd, op, fd, &ev2);
    }

    private void Loop()
    {
        const int max = 256;
        int size = Libc.PackedEpollEvent ? sizeof(Libc.epoll_event_packed) : sizeof(Libc.epoll_event_aligned);
        byte* buffer = stackalloc byte[max * size];
        while (true)
        {
            int n = Libc.epoll_wait(_epfd, buffer, max, -1);
            if (n < 0) continue; // EINTR
            for (int i = 0; i < n; i++)
            {
                uint events; ulong data;
                if (Libc.PackedEpollEvent)
                {
                    var e = ((Libc.epoll_event_packed*)buffer)[i];
                    events = e.events; data = e.data;
                }
                else
                {
                    var e = ((Libc.epoll_event_aligned*)buffer)[i];
                    events = e.events; data = e.data;
                }
                if (!_handlers.TryGetValue(data, out var h)) continue;
                try { h.OnReady(events); }
                catch (Exception ex) { Diagnostics.InternalFailure("reactor handler", ex); }
            }
        }
    }
}
