using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>A rooted socket given to AcceptEx: waiting for a leaf, then standing for the leaf it admitted.</summary>
internal abstract partial class RootedSocket
{
    /// <summary>The admitted leaf this socket's handle now stands for (calls go to it), or null.</summary>
    public RootedSocket? AcceptedLeaf;
    /// <summary>An AcceptEx waits to admit a leaf into this socket.</summary>
    public bool AcceptExPending;

    IProviderSocket? IProviderSocket.StandsFor => AcceptedLeaf;
}
