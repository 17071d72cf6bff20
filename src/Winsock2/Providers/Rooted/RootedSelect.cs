using Winsock2.Runtime;

namespace Winsock2.Providers.Rooted;

/// <summary>WSPSelect over rooted sockets: readability now, or an alertable wait for a change.</summary>
internal static class RootedSelect
{
    public static int Run(RootedProvider provider, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, out int errno)
    {
        int total = (int)((readfds?.fd_count ?? 0) + (writefds?.fd_count ?? 0) + (exceptfds?.fd_count ?? 0));
        if (total == 0 || (timeout is not null && (timeout.tv_sec < 0 || timeout.tv_usec < 0)))
        {
            errno = Ws2_32.WSAEINVAL;
            return Ws2_32.SOCKET_ERROR;
        }
        var reads = new List<(SOCKET Handle, RootedSocket Sock)>();
        foreach (var set in new[] { readfds, writefds, exceptfds })
        {
            if (set is null) continue;
            for (int i = 0; i < set.fd_count; i++)
            {
                if (!provider.Resolve(set.fd_array[i], out var sock)) { errno = Ws2_32.WSAENOTSOCK; return Ws2_32.SOCKET_ERROR; }
                if (set == readfds) reads.Add((set.fd_array[i], sock));
            }
        }
        int timeoutMs = timeout is null ? -1 : (int)Math.Min(int.MaxValue, timeout.tv_sec * 1000L + (timeout.tv_usec + 999) / 1000);
        var ready = new bool[reads.Count];
        int Check()
        {
            int n = 0;
            for (int i = 0; i < reads.Count; i++)
            {
                lock (reads[i].Sock.Gate) ready[i] = !reads[i].Sock.Closed && reads[i].Sock.Readable();
                if (ready[i]) n++;
            }
            return n;
        }
        errno = 0;
        int count = Check();
        if (count == 0 && timeoutMs != 0)
        {
            var ctx = ThreadContext.Current;
            foreach (var r in reads) r.Sock.AddReadyWaiter(ctx);
            try
            {
                int rc = Waits.BlockingWait(0, _ => Check() > 0, timeoutMs == -1 ? -1 : Math.Max(1, timeoutMs));
                if (rc != 0 && rc != Ws2_32.WSAETIMEDOUT) { errno = rc; return Ws2_32.SOCKET_ERROR; }
            }
            finally
            {
                foreach (var r in reads) r.Sock.RemoveReadyWaiter(ctx);
            }
            count = Check();
        }
        if (readfds is not null)
        {
            readfds.fd_count = 0;
            for (int i = 0; i < reads.Count; i++) if (ready[i]) readfds.fd_array[readfds.fd_count++] = reads[i].Handle;
        }
        if (writefds is not null) writefds.fd_count = 0;
        if (exceptfds is not null) exceptfds.fd_count = 0;
        return count;
    }
}
