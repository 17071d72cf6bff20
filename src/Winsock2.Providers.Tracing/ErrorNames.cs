using static Winsock2.Ws2Spi;

namespace Winsock2.Providers.Tracing;

/// <summary>
/// Error codes as the trace shows them, named from the headers' table (<see cref="Ws2Spi.ErrorNameOf"/>): a code becomes
/// <c>WSAEWOULDBLOCK(10035)</c>, an unknown one <c>error(12345)</c>.
/// </summary>
internal static class ErrorNames
{
    /// <summary>The header name of an error code, or null if it has none here.</summary>
    public static string? NameOf(int code) => code == 0 ? null : ErrorNameOf(code); // 0 stays "error(0)" in event records

    /// <summary><c>NAME(number)</c>, e.g. <c>WSAEWOULDBLOCK(10035)</c>; <c>error(number)</c> for a code without a name.</summary>
    public static string Format(int code) => $"{NameOf(code) ?? "error"}({code})";

    /// <summary>A result or error field: <c>0</c> for success, else <see cref="Format"/>.</summary>
    public static string Status(int code) => code == 0 ? "0" : Format(code);
}
