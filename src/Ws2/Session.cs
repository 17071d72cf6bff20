using System.Text;

namespace Ws2;

/// <summary>What the session commands share: text of connect data and messages. (A graceful leave reaches the wire by itself:
/// the provider finishes graceful closes before the process exits.)</summary>
internal static class Session
{
    public static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);

    public static byte[] Bytes(string? text) => text is null ? [] : Encoding.UTF8.GetBytes(text);

    /// <summary>Waits for <paramref name="task"/> or the token, whichever comes first (never throws for the token).</summary>
    public static async Task<bool> Until(Task task, CancellationToken cancellationToken)
    {
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var first = await Task.WhenAny(task, cancelled).ConfigureAwait(false);
        return first == task;
    }
}
