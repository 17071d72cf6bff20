namespace Winsock2.Providers.Tracing;

/// <summary>
/// The context the layer stores with each handle it gives out (WPUCreateSocketHandle): the next provider's socket.
/// The layer finds it again with WPUQuerySocketHandleContext, exactly as a base provider finds its socket object.
/// </summary>
internal sealed class LayerSocket(SOCKET lower)
{
    /// <summary>The next provider's handle for this socket (what every forwarded call passes down).</summary>
    public SOCKET Lower { get; } = lower;
}

/// <summary>
/// The other direction: from the next provider's handles back to the layer's. Needed where the next provider names a
/// socket to the application by itself: a WSAAsyncSelect message carries the socket in wParam, and the next provider
/// posts its own handle (<see cref="UpcallProxy"/> asks this map to translate). A message for a handle the layer has
/// not wrapped yet (an accepted socket inherits its listener's selection and may post before WSPAccept returns to the
/// layer) is held and posted, translated, when <see cref="Add"/> wraps the handle; posting happens under the map's
/// lock, so a socket's messages keep their order.
/// </summary>
internal sealed class LayerSockets
{
    /// <summary>Messages held per unwrapped handle at most (a handle that is never wrapped cannot grow without bound).</summary>
    private const int MaxHeld = 64;

    private readonly object _gate = new();
    private readonly Dictionary<nuint, SOCKET> _layerOf = new();
    private readonly Dictionary<nuint, List<MSG>> _held = new();

    /// <summary>Records that <paramref name="layer"/> is the layer's handle for <paramref name="lower"/>; posts held messages.</summary>
    public void Add(SOCKET lower, SOCKET layer, WSPUPCALLTABLE upcalls, Action<MSG, SOCKET>? trace)
    {
        lock (_gate)
        {
            _layerOf[lower.Value] = layer;
            if (!_held.Remove(lower.Value, out var held)) return;
            foreach (var m in held)
            {
                upcalls.WPUPostMessage(m.hwnd, m.message, layer.Value, m.lParam);
                trace?.Invoke(m, layer);
            }
        }
    }

    /// <summary>Forgets a lower handle (its socket was closed, or wrapping it failed); held messages are dropped.</summary>
    public void Remove(SOCKET lower)
    {
        lock (_gate)
        {
            _layerOf.Remove(lower.Value);
            _held.Remove(lower.Value);
        }
    }

    /// <summary>The layer's handle for a lower one, if wrapped.</summary>
    public bool TryGetLayer(SOCKET lower, out SOCKET layer)
    {
        lock (_gate) return _layerOf.TryGetValue(lower.Value, out layer);
    }

    /// <summary>
    /// Posts a message of the next provider with wParam translated to the layer's handle. A handle not wrapped yet is
    /// held if it is live (<paramref name="isLive"/>); a dead one's message is dropped (its socket is gone). Returns what
    /// WPUPostMessage returned, TRUE for a held message, FALSE for a dropped one.
    /// </summary>
    public bool Post(WSPUPCALLTABLE upcalls, HWND hWnd, uint msg, nuint wParam, nint lParam, Func<SOCKET, bool> isLive,
        out SOCKET layer, out PostOutcome outcome)
    {
        lock (_gate)
        {
            if (_layerOf.TryGetValue(wParam, out layer))
            {
                outcome = PostOutcome.Posted;
                return upcalls.WPUPostMessage(hWnd, msg, layer.Value, lParam);
            }
            outcome = PostOutcome.Dropped;
            if (!isLive(new SOCKET(wParam))) return false;
            if (!_held.TryGetValue(wParam, out var list)) _held[wParam] = list = new List<MSG>();
            if (list.Count >= MaxHeld) return false;
            list.Add(new MSG(hWnd, msg, wParam, lParam));
            outcome = PostOutcome.Held;
            return true;
        }
    }
}

/// <summary>What became of a message the next provider posted.</summary>
internal enum PostOutcome
{
    /// <summary>Posted with the layer's handle.</summary>
    Posted,
    /// <summary>Held until the layer wraps the handle.</summary>
    Held,
    /// <summary>Dropped: the socket is closed (or too many were held).</summary>
    Dropped,
}
