using System.Runtime.CompilerServices;

namespace Layercake.Serving.Protocols.Json;

/// <summary>Room for <see cref="JsonPropertyLookup"/>'s positions (two per known name, at most four names) inside the struct
/// itself.</summary>
[InlineArray(8)]
internal struct PropertyPositions
{
    private int _position;
}
