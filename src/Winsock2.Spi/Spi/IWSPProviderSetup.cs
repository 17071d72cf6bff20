namespace Winsock2;

/// <summary>
/// What a provider's installer knows (on Windows, the setup program that ships with each provider DLL and calls
/// WSCInstallProvider): the provider id and the protocol entries to install. The API layer asks a provider's entry
/// type for them when it builds the default catalog and when a provider is installed by path alone
/// (<c>ws2 catalog install PATH</c>). A layered provider returns its one LAYERED_PROTOCOL entry; the installer
/// builds its chains over the base entries it is told to cover (WSCInstallProviderAndChains).
/// </summary>
public interface IWSPProviderSetup
{
    /// <summary>The provider id every entry is installed under.</summary>
    Guid ProviderId { get; }

    /// <summary>Fresh copies of the entries to install (catalog ids are assigned by the catalog).</summary>
    WSAPROTOCOL_INFOW[] GetProtocolInfos();
}
