using Winsock2.Bench.Baselines;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>The fan-out sides by key (a leaf process is told its side by key).</summary>
public static class FanOutSides
{
    public static readonly IFanOutSide Rio = new RioFanOut();
    public static readonly IFanOutSide Recv = new RootedFanOut();
    public static readonly IFanOutSide NetMq = new NetMqFanOut();
    public static readonly IFanOutSide Raw = new SocketFanOut();

    public static IFanOutSide? ByKey(string key) => new[] { Rio, Recv, NetMq, Raw }.FirstOrDefault(s => s.Key == key);
}
