namespace Winsock2;

/// <summary>A set of sockets for select (at most FD_SETSIZE = 64).</summary>
public sealed class fd_set
{
    /// <summary>How many entries of <see cref="fd_array"/> are used.</summary>
    public uint fd_count;
    /// <summary>The sockets.</summary>
    public SOCKET[] fd_array = new SOCKET[Ws2Spi.FD_SETSIZE];

    /// <summary>A set holding the given sockets.</summary>
    public static fd_set Of(params SOCKET[] sockets)
    {
        var set = new fd_set();
        foreach (var s in sockets)
            if (Array.IndexOf(set.fd_array, s, 0, (int)set.fd_count) < 0 && set.fd_count < set.fd_array.Length)
                set.fd_array[set.fd_count++] = s;
        return set;
    }
}
