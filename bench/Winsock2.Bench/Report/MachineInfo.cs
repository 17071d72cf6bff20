using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Winsock2.Bench.Report;

/// <summary>The machine a run happened on: cores, memory, CPU model, .NET SDK, kernel, date.</summary>
public sealed record MachineInfo(int Cores, string Memory, string Cpu, string DotnetSdk, string Runtime, string Kernel, DateTime Date)
{
    public static MachineInfo Collect() => new(
        Environment.ProcessorCount,
        MemTotal(),
        CpuModel(),
        DotnetVersion(),
        RuntimeInformation.FrameworkDescription,
        ReadLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        DateTime.UtcNow);

    public IEnumerable<string> Lines()
    {
        yield return $"nproc: {Cores}";
        yield return $"memory: {Memory}";
        yield return $"cpu: {Cpu}";
        yield return $"dotnet --version: {DotnetSdk} (runtime {Runtime})";
        yield return $"uname -r: {Kernel}";
        yield return $"date: {Date:yyyy-MM-dd HH:mm} UTC";
    }

    private static string MemTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:")) : null;
        if (line is null || !long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kb)) return "unknown";
        return $"{kb / 1024.0 / 1024.0:F1} GiB";
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    private static string? ReadLine(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string DotnetVersion()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null) return "unknown";
            var text = p.StandardOutput.ReadToEnd().Trim();
            return p.WaitForExit(10_000) ? text : "unknown";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return "unknown"; }
    }
}
