using System.Runtime.CompilerServices;

namespace Winsock2;

/// <summary>A C <c>CHAR[8]</c> (sockaddr_in's sin_zero): indexable as <c>x[i]</c>, 8 bytes inline.</summary>
[InlineArray(8)]
public struct CHAR8
{
    private byte _element0;
}

/// <summary>A C <c>CHAR[14]</c> (sockaddr's sa_data): indexable as <c>x[i]</c>, 14 bytes inline.</summary>
[InlineArray(14)]
public struct CHAR14
{
    private byte _element0;
}

/// <summary>A C <c>UCHAR[16]</c> (in6_addr's u.Byte / s6_addr): indexable as <c>x[i]</c>, 16 bytes inline.</summary>
[InlineArray(16)]
public struct UCHAR16
{
    private byte _element0;
}

/// <summary>A C <c>USHORT[8]</c> (in6_addr's u.Word / s6_words): indexable as <c>x[i]</c>, 16 bytes inline.</summary>
[InlineArray(8)]
public struct USHORT8
{
    private ushort _element0;
}
