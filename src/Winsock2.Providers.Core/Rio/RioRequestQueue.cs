namespace Winsock2.Providers.Core;

/// <summary>
/// A socket's Registered I/O request queue: its posted receives and sends (<see cref="RioRing"/>, each a lock-free
/// ring with one producer, the application, and one consumer, the transport), the completion queues their results go
/// to, and the SocketContext. The application's side is <see cref="RioFunctions"/>; the transport's side is
/// <see cref="TryPeekReceive(out RioRequest)"/> / <see cref="CompleteReceive"/> (and the send pair),
/// <see cref="Publish"/> and <see cref="Abort"/>. Each direction is consumed by one thread at a time (receives and sends
/// may be consumed on different threads); <see cref="Publish"/> may be called from either (each direction publishes
/// under its completion queue's lock); <see cref="Abort"/> is made while neither direction is being consumed.
/// </summary>
public sealed class RioRequestQueue : RIO_RQ
{
    private readonly RioRing _receives, _sends;
    private readonly IRioSocket _socket;
    private volatile bool _closed;
    private int _released;
    /// <summary>0; <see cref="Filling"/> while a transport writes into the oldest receive's slice outside its lock; <see cref="Completing"/> while another completes receives.</summary>
    private int _fill;
    private const int Filling = 1, Completing = 2;

    internal RioRequestQueue(IRioSocket socket, ulong socketContext, RioCompletionQueue receiveCq, int maxReceives,
        RioCompletionQueue sendCq, int maxSends)
    {
        _socket = socket;
        SocketContext = socketContext;
        _receives = new RioRing(receiveCq, maxReceives);
        _sends = new RioRing(sendCq, maxSends);
    }

    /// <summary>The SocketContext given to RIOCreateRequestQueue (every RIORESULT of this queue carries it).</summary>
    public ulong SocketContext { get; }

    /// <summary>The socket this queue belongs to.</summary>
    public IRioSocket Socket => _socket;

    /// <summary>Committed receives not yet completed.</summary>
    public int PostedReceives => _receives.Posted;

    /// <summary>Committed sends not yet completed.</summary>
    public int PostedSends => _sends.Posted;

    /// <summary>The socket closed (<see cref="Abort"/>): no request is taken any more.</summary>
    public bool IsClosed => _closed;

    internal RioRing Receives => _receives;
    internal RioRing Sends => _sends;

    /// <summary>The oldest committed receive, not removed.</summary>
    public bool TryPeekReceive(out RioRequest request) => _receives.TryPeek(out request);

    /// <summary>The oldest committed send, not removed.</summary>
    public bool TryPeekSend(out RioRequest request) => _sends.TryPeek(out request);

    /// <summary>
    /// The committed receive <paramref name="ahead"/> places after the oldest (0: the oldest), not removed: a transport
    /// filling several receives from one read looks ahead with it.
    /// </summary>
    public bool TryPeekReceive(int ahead, out RioRequest request) => _receives.TryPeek(ahead, out request);

    /// <summary>The committed send <paramref name="ahead"/> places after the oldest (0: the oldest), not removed.</summary>
    public bool TryPeekSend(int ahead, out RioRequest request) => _sends.TryPeek(ahead, out request);

    /// <summary>
    /// Receives completed so far: the sequence number of the oldest committed receive (<see cref="TryPeekReceive(out RioRequest)"/>).
    /// A transport filling that receive over several steps checks it did not change meanwhile (an abort completes it).
    /// </summary>
    public long ReceivesCompleted => _receives.Completed;

    /// <summary>
    /// A transport is about to write into the slice of the oldest committed receive — sequence number
    /// <paramref name="sequence"/> (<see cref="ReceivesCompleted"/>) — without the lock that orders its other uses (a
    /// system call reading straight into it): true when that receive is still the oldest and the queue open, and until
    /// <see cref="EndReceiveFill"/> no one else completes a receive (closesocket's abort and
    /// <see cref="FailReceives"/> wait), so nothing is written into a slice whose request already completed.
    /// </summary>
    public bool TryBeginReceiveFill(long sequence)
    {
        if (Interlocked.CompareExchange(ref _fill, Filling, 0) != 0) return false;
        if (!_closed && _receives.Completed == sequence && _receives.Posted > 0) return true;
        Volatile.Write(ref _fill, 0);
        return false;
    }

    /// <summary>The write <see cref="TryBeginReceiveFill"/> allowed is over.</summary>
    public void EndReceiveFill() => Volatile.Write(ref _fill, 0);

    /// <summary>Waits out a transport's fill in progress (a copy of at most one message) and keeps others out until <see cref="EndCompleting"/>.</summary>
    private void BeginCompleting()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _fill, Completing, 0) != 0) spin.SpinOnce(sleep1Threshold: -1);
    }

    private void EndCompleting() => Volatile.Write(ref _fill, 0);

    /// <summary>
    /// Every committed receive not yet completed completes with <paramref name="status"/> (the session ended: none
    /// will be filled), after a fill in progress (<see cref="TryBeginReceiveFill"/>) is over. Under the lock that
    /// orders the queue's consumers.
    /// </summary>
    public void FailReceives(int status)
    {
        BeginCompleting();
        try
        {
            while (_receives.TryPeek(out _)) _receives.Complete(status, 0);
        }
        finally { EndCompleting(); }
    }

    /// <summary>Removes the oldest committed receive and stages its result (visible at <see cref="Publish"/>).</summary>
    public void CompleteReceive(int status, uint bytes) => _receives.Complete(status, bytes);

    /// <summary>Removes the oldest committed send and stages its result (visible at <see cref="Publish"/>).</summary>
    public void CompleteSend(int status, uint bytes) => _sends.Complete(status, bytes);

    /// <summary>
    /// Makes every staged result visible in its completion queue, each direction in one step under its queue's lock, and
    /// fires the queue's armed notification when a result without RIO_MSG_DONT_NOTIFY is among them.
    /// </summary>
    public void Publish()
    {
        _receives.Publish(SocketContext);
        _sends.Publish(SocketContext);
    }

    /// <summary>
    /// The socket closed: every outstanding request — deferred ones too — completes with <paramref name="status"/>
    /// (WSA_OPERATION_ABORTED), the results are published, and the queue leaves its completion queues.
    /// </summary>
    public void Abort(int status)
    {
        _closed = true;
        BeginCompleting(); // a transport's fill in progress ends first: no byte lands in a slice after its abort
        try { _receives.CompleteAll(status); }
        finally { EndCompleting(); }
        _sends.CompleteAll(status);
        Publish();
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        if (_receives.Cq == _sends.Cq) _receives.Cq.Release(this, _receives.Max + _sends.Max);
        else
        {
            _receives.Cq.Release(this, _receives.Max);
            _sends.Cq.Release(this, _sends.Max);
        }
    }

    /// <summary>
    /// True while the application polls the receive completion queue itself: it has no notification, or RIONotify is
    /// not armed on it (so the application will dequeue again without being told). False once it is closed.
    /// </summary>
    public bool ReceiverPolls => !_closed && _receives.Cq is { IsClosed: false } cq && cq.Notifier is not { Armed: true };

    /// <summary>RIONotify armed the notification of a completion queue this queue uses (<see cref="IRioSocket.RioNotifyArmed"/>).</summary>
    internal void NotifyArmed() => Tell(static s => s.RioNotifyArmed(), "RioNotifyArmed");

    /// <summary>Its completion queue was found empty (<see cref="IRioSocket.RioPoll"/>).</summary>
    internal void Poll() => Tell(static s => s.RioPoll(), "RioPoll");

    /// <summary>Calls the socket unless the queue is closed; a failure goes to the diagnostics hook, never to the application's call.</summary>
    private void Tell(Action<IRioSocket> call, string what)
    {
        if (_closed) return;
        try { call(_socket); }
        catch (Exception e) { Kernel.Diagnostics.InternalFailure(what, e); }
    }
}
