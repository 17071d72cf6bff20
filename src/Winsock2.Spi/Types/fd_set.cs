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
        foreach (var s in sockets) set.Add(s);
        return set;
    }

    /// <summary>True if <paramref name="s"/> is among the used entries (the FD_ISSET / __WSAFDIsSet rule).</summary>
    public bool Contains(SOCKET s)
    {
        for (int i = 0; i < fd_count && i < fd_array.Length; i++)
            if (fd_array[i] == s) return true;
        return false;
    }

    /// <summary>Adds <paramref name="s"/> unless present or the set is full (the FD_SET rule). False if not added.</summary>
    public bool Add(SOCKET s)
    {
        if (Contains(s) || fd_count >= fd_array.Length) return false;
        fd_array[fd_count++] = s;
        return true;
    }
}
