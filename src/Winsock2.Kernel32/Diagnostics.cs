namespace Winsock2.Kernel;

/// <summary>
/// Where failures that cannot be returned as error codes are reported. Two kinds: <see cref="CallbackFailed"/> for what
/// the application or the environment caused (a throwing completion routine or condition function, a provider
/// assembly that is missing, a catalog file that cannot be read), and <see cref="InternalFailure"/> for an exception
/// of our own code on any thread (the reactor, the writer, a timer, an API or SPI call): a bug, which the test suite
/// turns into the failure of the test during which it happened.
/// </summary>
internal static class Diagnostics
{
    /// <summary>Raised for each exception caught from user code, the environment, or background work; never rethrown.</summary>
    public static event Action<string, Exception>? Failure;

    /// <summary>Raised (after <see cref="Failure"/>) for each internal failure only.</summary>
    public static event Action<string, Exception>? Internal;

    /// <summary>An application callback threw, or the environment refused something: reported, not a bug of ours.</summary>
    public static void CallbackFailed(string where, Exception e) => Raise(Failure, where, e);

    /// <summary>Our own code threw where nothing could return the error: reported as a bug.</summary>
    public static void InternalFailure(string where, Exception e)
    {
        Raise(Failure, where, e);
        Raise(Internal, where, e);
    }

    private static void Raise(Action<string, Exception>? handlers, string where, Exception e)
    {
        try { handlers?.Invoke(where, e); }
        catch { /* a diagnostics handler must not break the caller */ }
    }
}
