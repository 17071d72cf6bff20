using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint.Engine;

/// <summary>
/// One thread that owns a set of nonblocking sockets: each is selected with WSAEventSelect on one shared WSAEVENT,
/// the thread waits in WSAWaitForMultipleEvents (with a second event for posted work) and hands each socket's
/// WSAEnumNetworkEvents record to its handler. Every Winsock call of a multipoint object runs on this thread, so
/// their state needs no locks. Handlers and posted work never let an exception out of the thread.
/// </summary>
internal sealed class EventLoop
{
    /// <summary>How often the loop runs its tick even when nothing happens (ms).</summary>
    public const int TickMs = 100;

    private readonly WSAEVENT _network = WSACreateEvent();
    private readonly WSAEVENT _wake = WSACreateEvent();
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Dictionary<SOCKET, Action<WSANETWORKEVENTS>> _watched = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private readonly ILogger _log;
    private Action? _tick;
    private readonly object _gate = new();
    private bool _closed;
    private volatile bool _stopping;

    public EventLoop(string name, ILogger log)
    {
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>True on the loop's own thread.</summary>
    public bool OnLoop => Thread.CurrentThread == _thread;

    /// <summary>Starts the thread; <paramref name="tick"/> runs after every wake-up and at least every <see cref="TickMs"/>.</summary>
    public void Start(Action tick)
    {
        _tick = tick;
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the loop thread (in posting order).</summary>
    /// <returns>False when the loop has ended: the work will never run.</returns>
    public bool Post(Action work)
    {
        lock (_gate)
        {
            if (_closed) return false;
            _posted.Enqueue(work);
        }
        WSASetEvent(_wake);
        return true;
    }

    /// <summary>Selects <paramref name="mask"/> on <paramref name="s"/> and routes its events to <paramref name="handler"/>. Loop thread.</summary>
    /// <returns>0, or the WSAEventSelect error.</returns>
    public int Watch(SOCKET s, int mask, Action<WSANETWORKEVENTS> handler)
    {
        if (WSAEventSelect(s, _network, mask) == SOCKET_ERROR) return WSAGetLastError();
        _watched[s] = handler;
        return 0;
    }

    /// <summary>Stops routing events of <paramref name="s"/> (call before closesocket). Loop thread.</summary>
    public void Unwatch(SOCKET s) => _watched.Remove(s);

    /// <summary>Ends the loop after the work posted so far; the task completes when the thread is gone.</summary>
    public Task StopAsync()
    {
        Post(() => _stopping = true);
        return _stopped.Task;
    }

    private void Run()
    {
        var events = new[] { _network, _wake };
        try
        {
            while (!_stopping)
            {
                WSAWaitForMultipleEvents(2, events, false, TickMs, false);
                WSAResetEvent(_wake);
                WSAResetEvent(_network); // reset before reading the records: an event recorded after this sets it again
                RunPosted();
                foreach (var (s, handler) in _watched.ToArray())
                {
                    var record = new WSANETWORKEVENTS();
                    if (WSAEnumNetworkEvents(s, default, record) == 0 && record.lNetworkEvents != 0) Safely(() => handler(record));
                }
                Safely(_tick);
            }
        }
        catch (Exception e)
        {
            MultipointLog.LoopFailed(_log, _thread.Name ?? "", e);
        }
        finally
        {
            lock (_gate) _closed = true;
            RunPosted();
            WSACloseEvent(_network);
            WSACloseEvent(_wake);
            _stopped.TrySetResult();
        }
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out var work)) Safely(work);
    }

    private void Safely(Action? work)
    {
        if (work is null) return;
        try { work(); }
        catch (Exception e) { MultipointLog.LoopFailed(_log, _thread.Name ?? "", e); }
    }
}
