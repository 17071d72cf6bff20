using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// WSPSelect's common part: validate the sets, resolve each socket, check readiness now or wait (alertably, woken
/// by the sockets) until something is ready or the timeout passes, and rewrite each set to hold only its ready sockets.
/// </summary>
internal static class SelectEngine
{
    public interface ISelectable
    {
        /// <summary>Ready for the set: 0 read, 1 write, 2 except.</summary>
        bool IsReady(int set);
        void AddReadyWaiter(ThreadContext ctx);
        void RemoveReadyWaiter(ThreadContext ctx);
        /// <summary>select has reported the socket in exceptfds.</summary>
        void ReportedExceptional() { }
    }

    public static int Run<T>(fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, Func<SOCKET, T?> resolve, out int errno)
        where T : class, ISelectable
    {
        int total = (int)((readfds?.fd_count ?? 0) + (writefds?.fd_count ?? 0) + (exceptfds?.fd_count ?? 0));
        if (total == 0 || (timeout is not null && (timeout.tv_sec < 0 || timeout.tv_usec < 0)))
        {
            errno = Ws2Spi.WSAEINVAL;
            return Ws2Spi.SOCKET_ERROR;
        }
        var sets = new[] { readfds, writefds, exceptfds };
        var members = new List<(int Set, SOCKET Handle, T Sock)>();
        for (int k = 0; k < 3; k++)
        {
            var set = sets[k];
            if (set is null) continue;
            if (set.fd_count > (uint)set.fd_array.Length) { errno = Ws2Spi.WSAEFAULT; return Ws2Spi.SOCKET_ERROR; }
            for (int i = 0; i < set.fd_count; i++)
            {
                if (resolve(set.fd_array[i]) is not { } sock) { errno = Ws2Spi.WSAENOTSOCK; return Ws2Spi.SOCKET_ERROR; }
                // A socket listed twice in one set is one member: Windows reports and counts it once.
                if (Array.IndexOf(set.fd_array, set.fd_array[i], 0, i) < 0) members.Add((k, set.fd_array[i], sock));
            }
        }
        int timeoutMs = timeout is null ? -1 : (int)Math.Min(int.MaxValue, timeout.tv_sec * 1000L + (timeout.tv_usec + 999) / 1000);
        var ready = new bool[members.Count];
        int Check()
        {
            int n = 0;
            for (int i = 0; i < members.Count; i++)
            {
                ready[i] = members[i].Sock.IsReady(members[i].Set);
                if (ready[i]) n++;
            }
            return n;
        }
        errno = 0;
        int count = Check();
        if (count == 0 && timeoutMs != 0)
        {
            var ctx = ThreadContext.Current;
            foreach (var m in members) m.Sock.AddReadyWaiter(ctx);
            try
            {
                int rc = Waits.BlockingWait(0, _ => Check() > 0, timeoutMs == -1 ? -1 : Math.Max(1, timeoutMs));
                if (rc != 0 && rc != Ws2Spi.WSAETIMEDOUT) { errno = rc; return Ws2Spi.SOCKET_ERROR; }
            }
            finally
            {
                foreach (var m in members) m.Sock.RemoveReadyWaiter(ctx);
            }
            count = Check();
        }
        foreach (var set in sets) if (set is not null) set.fd_count = 0;
        for (int i = 0; i < members.Count; i++)
        {
            if (!ready[i]) continue;
            var set = sets[members[i].Set]!;
            set.fd_array[set.fd_count++] = members[i].Handle;
            if (members[i].Set == 2) members[i].Sock.ReportedExceptional();
        }
        return count;
    }
}
