using System.Text.Json;

namespace Ws2;

/// <summary>
/// What a command prints: one line per event, either for a person or (with --json) one JSON object per line with an
/// "event" field. Errors go to stderr as one "ws2: ..." line. Safe to call from any thread.
/// </summary>
internal sealed class Report(bool json, TextWriter output, TextWriter error)
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly object _gate = new();

    public bool Json => json;

    /// <summary>An event: <paramref name="text"/> for a person, or {"event": name, fields...} as JSON.</summary>
    public void Event(string name, string text, params (string Key, object? Value)[] fields)
    {
        string line;
        if (json)
        {
            var o = new Dictionary<string, object?> { ["event"] = name };
            foreach (var (k, v) in fields) o[k] = v;
            line = JsonSerializer.Serialize(o, Options);
        }
        else line = text;
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>A narrated step of the demo: what happens and the Winsock calls and events involved.</summary>
    public void Step(string what, string calls) =>
        Event("step", $"\n▸ {what}\n    {calls.Replace("\n", "\n    ", StringComparison.Ordinal)}", ("text", what), ("calls", calls));

    /// <summary>One error line on stderr ("ws2: ..."); returns <paramref name="exitCode"/>.</summary>
    public int Fail(string message, int exitCode = 1)
    {
        lock (_gate)
        {
            error.WriteLine("ws2: " + message);
            error.Flush();
        }
        return exitCode;
    }
}
