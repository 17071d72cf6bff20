namespace Winsock2;

/// <summary>select and the fd_set macros.</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// Which sockets are readable, writable or exceptional; each set is rewritten to hold only those.
    /// Returns the total count, 0 on timeout (null = wait forever), or SOCKET_ERROR. nfds is ignored.
    /// </summary>
    public static int select(int nfds, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout)
    {
        try
        {
            if (!Dispatch.Started()) return SOCKET_ERROR;
            SOCKET? first = null;
            foreach (var set in new[] { readfds, writefds, exceptfds })
                if (set is not null && set.fd_count > 0) { first = set.fd_array[0]; break; }
            if (first is null) return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL); // no socket at all
            // INVALID_SOCKET in a set is not a socket (WSAENOTSOCK), as Wine's test_select records for Windows.
            if (!first.Value.IsValid) return Dispatch.Finish(SOCKET_ERROR, WSAENOTSOCK);
            if (!Dispatch.Enter(first.Value, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPSelect(nfds, readfds, writefds, exceptfds, timeout, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Nonzero if <paramref name="fd"/> is in <paramref name="set"/>.</summary>
    public static int __WSAFDIsSet(SOCKET fd, fd_set set) => set is not null && set.Contains(fd) ? 1 : 0;

    /// <summary>FD_ISSET.</summary>
    public static bool FD_ISSET(SOCKET fd, fd_set set) => __WSAFDIsSet(fd, set) != 0;

    /// <summary>FD_SET: adds the socket unless present or the set is full.</summary>
    public static void FD_SET(SOCKET fd, fd_set set) => set?.Add(fd);

    /// <summary>FD_CLR.</summary>
    public static void FD_CLR(SOCKET fd, fd_set set)
    {
        for (int i = 0; i < set.fd_count; i++)
        {
            if (set.fd_array[i] != fd) continue;
            Array.Copy(set.fd_array, i + 1, set.fd_array, i, (int)set.fd_count - i - 1);
            set.fd_count--;
            return;
        }
    }

    /// <summary>FD_ZERO.</summary>
    public static void FD_ZERO(fd_set set) => set.fd_count = 0;
}
