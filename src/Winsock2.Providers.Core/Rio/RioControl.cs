using System.Buffers.Binary;

namespace Winsock2.Providers.Core;

/// <summary>
/// A RIOReceiveEx / RIOSendEx control-context slice: a RIO_CMSG_BUFFER (ULONG TotalLength) followed, from
/// <see cref="Ws2Spi.RIO_CMSG_BASE_SIZE"/>, by WSACMSGHDR records; TotalLength counts the header and the records.
/// </summary>
internal static class RioControl
{
    /// <summary>The slice holds no record: TotalLength = RIO_CMSG_BASE_SIZE (RIO_CMSG_FIRSTHDR finds none).</summary>
    public static void WriteEmpty(Span<byte> slice) => SetRecordBytes(slice, 0);

    /// <summary>The records' place in the slice (empty when it cannot hold one byte of them).</summary>
    public static Span<byte> Records(Span<byte> slice) => slice.Length > Ws2Spi.RIO_CMSG_BASE_SIZE ? slice[Ws2Spi.RIO_CMSG_BASE_SIZE..] : default;

    /// <summary><paramref name="recordBytes"/> bytes of records were written: TotalLength says so.</summary>
    public static void SetRecordBytes(Span<byte> slice, int recordBytes) =>
        BinaryPrimitives.WriteUInt32LittleEndian(slice, (uint)(Ws2Spi.RIO_CMSG_BASE_SIZE + recordBytes));

    /// <summary>
    /// The records an application put in a RIOSendEx slice: the bytes TotalLength counts after the header, within the
    /// slice (empty when TotalLength counts none).
    /// </summary>
    public static ReadOnlySpan<byte> SentRecords(ReadOnlySpan<byte> slice)
    {
        if (slice.Length < sizeof(uint)) return default;
        long total = BinaryPrimitives.ReadUInt32LittleEndian(slice);
        long end = Math.Min(total, slice.Length);
        return end > Ws2Spi.RIO_CMSG_BASE_SIZE ? slice[Ws2Spi.RIO_CMSG_BASE_SIZE..(int)end] : default;
    }
}
