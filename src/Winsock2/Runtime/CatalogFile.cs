using System.Text.Json;
using System.Text.Json.Serialization;

namespace Winsock2.Runtime;

/// <summary>
/// The catalog's one file (Windows keeps the catalog in the registry): where it is, its JSON format, reading it with
/// every rule checked, and replacing it atomically. A file that breaks a rule is corrupt as a whole; nothing of it is
/// used. See docs/architecture.md, "The persistent catalog".
/// </summary>
internal static class CatalogFile
{
    /// <summary>The format version this build reads and writes; any other version is corrupt.</summary>
    public const int FormatVersion = 1;

    /// <summary>The environment variable that names the catalog file (overriding the default place).</summary>
    public const string EnvironmentVariable = "WS2_CATALOG";

    private static readonly JsonSerializerOptions Options = new() { IncludeFields = true, WriteIndented = true };

    /// <summary>
    /// <c>$WS2_CATALOG</c> if set, else <c>$XDG_CONFIG_HOME/winsock2/catalog.json</c> (an absolute XDG_CONFIG_HOME only,
    /// as the XDG spec says), else <c>~/.config/winsock2/catalog.json</c>. Read on every use, so it can change.
    /// </summary>
    public static string Path
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(overridden)) return System.IO.Path.GetFullPath(overridden);
            var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            var config = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
                ? xdg
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(config, "winsock2", "catalog.json");
        }
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/>: the catalog it holds, or null when there is no file (error null) or it
    /// cannot be used (error says why).
    /// </summary>
    public static CatalogState? Read(string path, out string? error)
    {
        error = null;
        byte[] bytes;
        try
        {
            if (!File.Exists(path)) return null;
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // removed between the check and the read: there is no file
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"the protocol catalog {path} cannot be read ({e.Message})";
            return null;
        }
        var state = Parse(bytes, out string? why);
        if (state is null) error = $"the protocol catalog {path} is corrupt ({why})";
        return state;
    }

    /// <summary>Replaces the file with <paramref name="state"/>: a temporary file in the same directory, then rename.</summary>
    public static void Write(string path, CatalogState state)
    {
        var model = new Model
        {
            Version = FormatVersion,
            NextCatalogEntryId = state.NextId,
            Entries = state.Entries.Select(e => (Entry?)new Entry { Path = e.ProviderPath, ProtocolInfo = e.Info }).ToList(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(model, Options);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                f.Write(bytes);
                f.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true); // rename(2): readers see the old file or the new one, never a part
        }
        finally
        {
            try { File.Delete(temp); }
            catch (IOException) { /* already renamed, or the directory is gone */ }
        }
    }

    private static CatalogState? Parse(byte[] bytes, out string? why)
    {
        why = null;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Bad("not a JSON object", out why);
            if (!doc.RootElement.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number)
                return Bad("no format version", out why);
            if (!v.TryGetInt32(out int version) || version != FormatVersion)
                return Bad($"format version {v.GetRawText()} is not known; this build reads version {FormatVersion}", out why);
            var model = doc.RootElement.Deserialize<Model>(Options);
            if (model?.Entries is null) return Bad("no entries", out why);
            return Validate(model, out why);
        }
        catch (Exception e) // untrusted input: whatever the parser throws means the file is corrupt
        {
            return Bad(e.Message, out why);
        }
    }

    /// <summary>Every rule the catalog keeps: paths, unique ids below the counter, chains naming installed entries.</summary>
    private static CatalogState? Validate(Model model, out string? why)
    {
        why = null;
        var entries = new List<CatalogEntry>();
        var ids = new HashSet<uint>();
        for (int i = 0; i < model.Entries!.Count; i++)
        {
            var (path, info) = (model.Entries[i]?.Path, model.Entries[i]?.ProtocolInfo);
            if (string.IsNullOrEmpty(path)) return Bad($"entry {i} has no path", out why);
            if (info?.szProtocol is null || info.ProtocolChain.ChainEntries is not { Length: Ws2_32.MAX_PROTOCOL_CHAIN })
                return Bad($"entry {i} has no complete protocolInfo", out why);
            uint id = info.dwCatalogEntryId;
            if (id == 0 || id >= model.NextCatalogEntryId || !ids.Add(id))
                return Bad($"entry {i} has catalog id {id}, which is 0, repeated or not below nextCatalogEntryId {model.NextCatalogEntryId}", out why);
            int len = info.ProtocolChain.ChainLen;
            if (len < 0 || len > Ws2_32.MAX_PROTOCOL_CHAIN) return Bad($"entry {id} has ChainLen {len}", out why);
            if (len == Ws2_32.BASE_PROTOCOL && info.ProtocolChain.ChainEntries[0] != id) return Bad($"base entry {id} does not name itself", out why);
            entries.Add(new CatalogEntry(info, path));
        }
        foreach (var e in entries.Where(e => e.IsChain))
        {
            var chain = e.Info.ProtocolChain;
            if (!chain.ChainEntries.Take(chain.ChainLen).All(ids.Contains)) return Bad($"chain {e.Id} names an entry that is not installed", out why);
        }
        return new CatalogState(entries, model.NextCatalogEntryId);
    }

    private static CatalogState? Bad(string reason, out string? why)
    {
        why = reason;
        return null;
    }

    /// <summary>The file: {"version": 1, "nextCatalogEntryId": N, "entries": [{"path", "protocolInfo"}...]} in catalog order.</summary>
    private sealed class Model
    {
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("nextCatalogEntryId")] public uint NextCatalogEntryId { get; set; }
        [JsonPropertyName("entries")] public List<Entry?>? Entries { get; set; }
    }

    /// <summary>One entry: the provider's catalog path and its WSAPROTOCOL_INFOW under the header's field names.</summary>
    private sealed class Entry
    {
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("protocolInfo")] public WSAPROTOCOL_INFOW? ProtocolInfo { get; set; }
    }
}
