namespace Winsock2;

/// <summary>Winsock error names for messages (the table is the headers', <see cref="Ws2Spi.ErrorNameOf"/>).</summary>
public static partial class Ws2_32
{
    /// <summary>The winsock2.h name of an error code ("WSAECONNREFUSED" for 10061, "NO_ERROR" for 0), or the number as text when unknown.</summary>
    /// <param name="error">A Winsock error code, as WSAGetLastError returns it.</param>
    /// <returns>The constant's name.</returns>
    public static string WSAErrorName(int error) => Ws2Spi.ErrorNameOf(error) ?? error.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The name and the number together, as messages show them: "WSAECONNREFUSED 10061".</summary>
    /// <param name="error">A Winsock error code.</param>
    /// <returns>"NAME CODE", or just the code when it has no name.</returns>
    public static string WSAErrorText(int error) =>
        Ws2Spi.ErrorNameOf(error) is { } name ? $"{name} {error}" : error.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
