namespace Winsock2.Tests.Rooted;

/// <summary>Test payloads for the rooted tests.</summary>
internal static class TestBytes
{
    /// <summary><paramref name="n"/> bytes, the same for the same <paramref name="seed"/>.</summary>
    public static byte[] Pattern(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }
}
