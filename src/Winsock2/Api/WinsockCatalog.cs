using Winsock2.Kernel;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>
/// The persistent protocol catalog itself, beyond the WSC* functions of <see cref="Ws2_32"/>: where it is kept, why it
/// could not be read, and <c>netsh winsock reset</c>. The catalog is one JSON file (docs/architecture.md, "The
/// persistent catalog"); while it does not exist the built-in providers are the catalog.
/// </summary>
public static class WinsockCatalog
{
    /// <summary>
    /// The catalog file: <c>$WS2_CATALOG</c> if set, else <c>$XDG_CONFIG_HOME/winsock2/catalog.json</c>, else
    /// <c>~/.config/winsock2/catalog.json</c>. Evaluated on every use.
    /// </summary>
    public static string FilePath => CatalogFile.Path;

    /// <summary>
    /// Why the catalog file could not be used at the last read (it is corrupt, has an unknown format version, or cannot
    /// be read), or null when it was read or does not exist. While it is set, readers get the built-in defaults and
    /// changes other than <see cref="Reset"/> fail with WSANO_RECOVERY; the error is reported once through the runtime's
    /// diagnostics.
    /// </summary>
    public static string? LoadError
    {
        get
        {
            try
            {
                ProtocolCatalog.Snapshot(); // a fresh read decides
                return ProtocolCatalog.LoadError;
            }
            catch (Exception e)
            {
                Diagnostics.InternalFailure("WinsockCatalog.LoadError", e);
                return e.Message;
            }
        }
    }

    /// <summary>
    /// <c>netsh winsock reset</c>: replaces the catalog with the built-in defaults (also over a corrupt file), removing
    /// every installed provider and order change. The new entries' ids continue the old file's counter when it was
    /// readable, so no id is reused. Returns 0, or SOCKET_ERROR with WSANO_RECOVERY in <paramref name="lpErrno"/> when
    /// the file cannot be locked or written. API instances already started keep their snapshot.
    /// </summary>
    public static int Reset(out int lpErrno)
    {
        try { return ProtocolCatalog.Reset(out lpErrno); }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("WinsockCatalog.Reset", e);
            lpErrno = Ws2_32.WSANO_RECOVERY;
            return Ws2_32.SOCKET_ERROR;
        }
    }
}
