namespace Winsock2.Kernel;

/// <summary>Where failures that cannot be returned as error codes (a throwing user callback) are reported.</summary>
internal static class Diagnostics
{
    /// <summary>Raised for each exception caught from user code or background work; never rethrown.</summary>
    public static event Action<string, Exception>? Failure;

    public static void CallbackFailed(string where, Exception e)
    {
        try { Failure?.Invoke(where, e); }
        catch { /* a diagnostics handler must not break the caller */ }
    }
}
