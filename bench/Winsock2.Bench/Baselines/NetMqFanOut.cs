using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using NetMQ;
using NetMQ.Sockets;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>
/// NetMQ PUB/SUB (NetMQ 4.0.4.5, pure C#), what a .NET user would pick for fan-out today: a PublisherSocket bound on
/// tcp://127.0.0.1, one SubscriberSocket per leaf subscribed to everything; one NetMQ frame per message, the same
/// frame bytes as the other sides. High-water marks are 0 (unlimited) on both ends so PUB does not drop; the run's
/// message count is capped instead (<see cref="Cap"/>), which bounds what NetMQ's unbounded queues can hold. A drop
/// would show as a gap in the sequence: leaves count gaps as lost messages (reported as loss), while a duplicate or
/// reorder still fails the run. Before timing, the root publishes probe frames until every leaf has seen one (PUB/SUB
/// delivers only to subscriptions already in place); the end of the stream is an end frame carrying the count sent.
/// </summary>
public sealed class NetMqFanOut : IFanOutSide
{
    private const uint ProbeMarker = 0xFFFF_FFFF;
    private const uint EndMarker = 0xFFFF_FFFE;

    /// <summary>Bytes the messages of one run may occupy across the leaves' queues: 1 GiB.</summary>
    private const long QueueBytes = 1L << 30;

    public string Key => "netmq";

    /// <summary>The most messages one run sends to <paramref name="leaves"/> leaves: within <see cref="QueueBytes"/>, counting ~64 B of queue overhead each.</summary>
    public static long Cap(int messageSize, int leaves) => Math.Max(1_000, QueueBytes / ((FanOutFrame.Length(messageSize) + 64L) * leaves));

    public IFanOutRoot CreateRoot() => new Root();

    /// <summary>Ends NetMQ's background threads (at the end of a run of the bench or of a leaf process).</summary>
    public static void Cleanup() => NetMQConfig.Cleanup(block: false);

    public LeafReport RunLeaf(IPEndPoint root, int messageSize, Action ready)
    {
        var verifier = new FrameVerifier(messageSize, countGaps: true);
        int frame = FanOutFrame.Length(messageSize);
        string? error = null;
        var msg = new Msg();
        msg.InitEmpty();
        try
        {
            using var sub = new SubscriberSocket();
            sub.Options.ReceiveHighWatermark = 0;
            sub.Options.Linger = TimeSpan.Zero;
            sub.Connect($"tcp://{root}");
            sub.SubscribeToAnyTopic();
            bool isReady = false, ended = false;
            while (!ended)
            {
                if (!sub.TryReceive(ref msg, TimeSpan.FromSeconds(30)))
                {
                    error = $"no message for 30 s after {verifier.Received} messages";
                    break;
                }
                ReadOnlySpan<byte> data = msg.Slice();
                uint length = data.Length >= FanOutFrame.Header ? BinaryPrimitives.ReadUInt32LittleEndian(data) : 0;
                if (length == ProbeMarker)
                {
                    if (!isReady) ready();
                    isReady = true;
                }
                else if (length == EndMarker)
                {
                    verifier.EndAt((long)BinaryPrimitives.ReadUInt64LittleEndian(data[4..]));
                    ended = true;
                }
                else if (data.Length != frame) error ??= $"message of {data.Length} bytes, expected {frame}";
                else verifier.Feed(data);
            }
        }
        catch (Exception e) when (e is NetMQException or ObjectDisposedException) { error ??= "leaf: " + e.Message; }
        finally { msg.Close(); }
        return new LeafReport(verifier.Received, verifier.Error ?? error, Stopwatch.GetTimestamp(), verifier.Lost);
    }

    private sealed class Root : IFanOutRoot
    {
        private readonly PublisherSocket _pub = new();
        private int _size, _leaves;

        public IPEndPoint Open(int leaves, int messageSize)
        {
            (_size, _leaves) = (messageSize, leaves);
            _pub.Options.SendHighWatermark = 0;
            _pub.Options.Linger = TimeSpan.Zero;
            int port = _pub.BindRandomPort("tcp://127.0.0.1");
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        public string? Admit(int leaves, Func<bool> leavesReady, TimeSpan timeout)
        {
            long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            var probe = Marker(ProbeMarker, 0);
            while (!leavesReady())
            {
                if (Environment.TickCount64 > deadline) return "subscribers did not see the probe in time";
                _pub.SendFrame(probe);
                Thread.Sleep(2);
            }
            return null;
        }

        public long SendLoop(long maxMessages, TimeSpan budget)
        {
            maxMessages = Math.Min(maxMessages, Cap(_size, _leaves));
            int frame = FanOutFrame.Length(_size);
            var buf = new byte[frame];
            long deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
            long sent = 0;
            while (sent < maxMessages && ((sent & 63) != 0 || Stopwatch.GetTimestamp() < deadline))
            {
                FanOutFrame.Encode(buf, (ulong)sent, _size);
                _pub.SendFrame(buf, frame);
                sent++;
            }
            _pub.SendFrame(Marker(EndMarker, sent));
            return sent;
        }

        private static byte[] Marker(uint marker, long value)
        {
            var m = new byte[FanOutFrame.Header];
            BinaryPrimitives.WriteUInt32LittleEndian(m, marker);
            BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(4), (ulong)value);
            return m;
        }

        public void Dispose() => _pub.Dispose();
    }
}
