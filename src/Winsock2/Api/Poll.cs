using System.Buffers.Binary;
using System.Diagnostics;

namespace Winsock2;

/// <summary>WSAPoll.</summary>
public static partial class Ws2_32
{
    /// <summary>The events a WSAPOLLFD may ask for (POLLIN = POLLRDNORM | POLLRDBAND, POLLOUT = POLLWRNORM).</summary>
    private const short PollAskable = POLLRDNORM | POLLRDBAND | POLLWRNORM;

    /// <summary>
    /// Which of <paramref name="fds"/> sockets of <paramref name="fdArray"/> have the events they ask for, waiting up to
    /// <paramref name="timeout"/> ms (0: none, negative: forever). Each revents is set (0 when nothing holds); a handle that
    /// is no socket gets POLLNVAL; POLLERR and POLLHUP are reported unasked. Returns how many have revents, 0 on timeout,
    /// or SOCKET_ERROR: WSAEFAULT (null array, or fds beyond it), WSAEINVAL (fds 0, or events other than POLLRDNORM,
    /// POLLRDBAND, POLLWRNORM — POLLPRI and POLLWRBAND are not supported, as on Windows). Sockets of several providers may
    /// be mixed: each provider answers for its own (SIO_POLL_EVENTS); the wait is each provider's select.
    /// </summary>
    public static int WSAPoll(WSAPOLLFD[] fdArray, uint fds, int timeout)
    {
        try
        {
            if (!Dispatch.Started()) return SOCKET_ERROR;
            if (fdArray is null || fds > (uint)fdArray.Length) return Dispatch.Finish(SOCKET_ERROR, WSAEFAULT);
            if (fds == 0) return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL);
            for (int i = 0; i < fds; i++)
                if ((fdArray[i].events & ~PollAskable) != 0) return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL);
            var tables = new WSPPROC_TABLE?[fds];
            int saved = WSAGetLastError();
            for (int i = 0; i < fds; i++) tables[i] = Dispatch.Enter(fdArray[i].fd, out var p) ? p : null;
            WSASetLastError(saved);
            int count = PollNow(fdArray, tables);
            if (count > 0 || timeout == 0) return count;
            var clock = Stopwatch.StartNew();
            var providers = tables.Where(t => t is not null).Distinct().ToArray();
            while (count == 0)
            {
                long left = timeout < 0 ? -1 : timeout - clock.ElapsedMilliseconds;
                if (timeout >= 0 && left <= 0) break;
                int ready = 0;
                foreach (var provider in providers)
                {
                    // One provider: its select waits the whole time. Several: each waits a slice in turn.
                    long slice = providers.Length == 1 ? left : left < 0 ? 10 : Math.Min(left, 10);
                    int rc = WaitReadiness(provider!, fdArray, tables, slice, out int error);
                    if (rc == SOCKET_ERROR && error != WSAENOTSOCK) return Dispatch.Finish(SOCKET_ERROR, error);
                    ready += Math.Max(rc, 0);
                }
                count = PollNow(fdArray, tables);
                if (count == 0 && ready > 0) Thread.Sleep(1); // ready for select, not for the events asked: do not spin
                if (providers.Length == 0) break;
            }
            return count;
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Sets every revents from each provider's answer now; the count of nonzero ones.</summary>
    private static int PollNow(WSAPOLLFD[] fdArray, WSPPROC_TABLE?[] tables)
    {
        int count = 0;
        var input = new byte[2];
        var output = new byte[2];
        for (int i = 0; i < tables.Length; i++)
        {
            short revents = POLLNVAL;
            if (tables[i] is { } p)
            {
                BinaryPrimitives.WriteInt16LittleEndian(input, fdArray[i].events);
                if (p.WSPIoctl(fdArray[i].fd, SIO_POLL_EVENTS, input, 2, output, 2, out uint n, null, null, null, out int error) == 0 && n >= 2)
                    revents = BinaryPrimitives.ReadInt16LittleEndian(output);
                else if (error != WSAENOTSOCK) revents = SelectNow(p, fdArray[i]);
            }
            fdArray[i].revents = revents;
            if (revents != 0) count++;
        }
        return count;
    }

    /// <summary>A provider that does not answer SIO_POLL_EVENTS (or a socket closed meanwhile): its select with no wait decides.</summary>
    private static short SelectNow(WSPPROC_TABLE p, WSAPOLLFD fd)
    {
        var read = new fd_set();
        var write = new fd_set();
        if ((fd.events & (POLLRDNORM | POLLRDBAND)) != 0) read.Add(fd.fd);
        if ((fd.events & POLLWRNORM) != 0) write.Add(fd.fd);
        int rc = p.WSPSelect(0, read.fd_count > 0 ? read : null, write.fd_count > 0 ? write : null, null, new timeval(), out int error);
        if (rc == SOCKET_ERROR) return error == WSAENOTSOCK ? POLLNVAL : (short)0;
        return (short)((read.Contains(fd.fd) ? POLLRDNORM : 0) | (write.Contains(fd.fd) ? POLLWRNORM : 0));
    }

    /// <summary>Waits (the provider's WSPSelect) up to <paramref name="ms"/> (negative: forever) for any of its sockets to change.</summary>
    private static int WaitReadiness(WSPPROC_TABLE p, WSAPOLLFD[] fdArray, WSPPROC_TABLE?[] tables, long ms, out int error)
    {
        var read = new fd_set();
        var write = new fd_set();
        var except = new fd_set();
        for (int i = 0; i < tables.Length; i++)
        {
            if (!ReferenceEquals(tables[i], p)) continue;
            short events = fdArray[i].events;
            if ((events & (POLLRDNORM | POLLRDBAND)) != 0 && read.fd_count < FD_SETSIZE) read.Add(fdArray[i].fd);
            if ((events & POLLWRNORM) != 0 && write.fd_count < FD_SETSIZE) write.Add(fdArray[i].fd);
            if (except.fd_count < FD_SETSIZE) except.Add(fdArray[i].fd); // a failed connect, urgent data
        }
        var wait = ms < 0 ? null : new timeval { tv_sec = (int)(ms / 1000), tv_usec = (int)(ms % 1000) * 1000 };
        return p.WSPSelect(0, read.fd_count > 0 ? read : null, write.fd_count > 0 ? write : null, except, wait, out error);
    }
}
