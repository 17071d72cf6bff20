namespace Winsock2.Providers.Core;

/// <summary>
/// The address, control-context and flags slices of a RIOReceiveEx / RIOSendEx request, kept out of
/// <see cref="RioRequest"/> so the common request (data only) stays small. One holder per ring slot, made on the slot's
/// first Ex request and reused (a slot is reused only after its result was published, when the transport is done with
/// the request).
/// </summary>
internal sealed class RioExSlices
{
    public RioSlice RemoteAddress, LocalAddress, FlagsSlice, ControlContext;
}
