using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A device text that does not parse, or a device this process does not have (codes in <see cref="Devices.DeviceSpec"/>).</summary>
public sealed record InvalidDevice(int Code, string Reason) : CmError(Reason, ErrorKind.InvalidInput, Code);
