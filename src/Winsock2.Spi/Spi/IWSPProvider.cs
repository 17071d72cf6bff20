namespace Winsock2;

/// <summary>
/// What a provider "DLL" exports: WSPStartup. A provider is a .NET type with a public parameterless
/// constructor implementing this interface; its catalog path is the type's assembly-qualified name.
/// </summary>
public interface IWSPProvider
{
    /// <summary>
    /// Starts the provider for one catalog entry: negotiates the SPI version (low byte major; 2.2 here),
    /// keeps the upcall table, and returns the procedure table. Returns 0 or an error code.
    /// Each successful call is matched by one WSPCleanup.
    /// </summary>
    int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable);
}
