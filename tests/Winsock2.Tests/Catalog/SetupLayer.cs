using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Catalog;

/// <summary>
/// <see cref="CountingLayer"/> as an installer finds it: a layered provider whose <see cref="IWSPProviderSetup"/> gives its
/// one LAYERED_PROTOCOL entry, so `ws2 catalog install Winsock2.Tests.dll!Winsock2.Tests.Catalog.SetupLayer` installs it
/// with WSCInstallProviderAndChains. WSPStartup is the counting layer's.
/// </summary>
public sealed class SetupLayer : IWSPProvider, IWSPProviderSetup
{
    public const string Name = "Counting LSP (setup)";

    public Guid ProviderId => CountingLayer.LayerId;

    public WSAPROTOCOL_INFOW[] GetProtocolInfos() =>
        [TestCatalog.Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP, chainLen: LAYERED_PROTOCOL, name: Name)];

    public int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable) =>
        new CountingLayer().WSPStartup(wVersionRequested, out lpWSPData, lpProtocolInfo, UpcallTable, out lpProcTable);
}
