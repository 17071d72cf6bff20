using System.Net.Sockets;
using System.Threading.Channels;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>
/// Standard input, line by line, to a send function: each line is one message. A background thread reads (Console's
/// reader blocks); the end of input stops sending but nothing else.
/// </summary>
internal static class StdinLines
{
    public static async Task SendEachAsync(Func<string, ValueTask> send, Report report, CancellationToken cancellationToken)
    {
        var lines = Channel.CreateBounded<string>(64);
        var reader = new Thread(() =>
        {
            try
            {
                while (Console.In.ReadLine() is { } line)
                    if (!lines.Writer.WriteAsync(line).AsTask().Wait(Timeout.Infinite)) break;
            }
            catch (Exception) { } // stdin closed or unreadable: the same as its end
            finally { lines.Writer.TryComplete(); }
        }) { IsBackground = true, Name = "stdin" };
        reader.Start();
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await send(line).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    report.Fail($"send failed ({WSAErrorText((int)e.SocketErrorCode)})");
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
