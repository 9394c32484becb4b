namespace FunAsr.Simulator.Protocol;

/// <summary>Outcome of a C++ <c>chunk_size</c> check.</summary>
internal enum ChunkSizeCheck
{
    Valid,
    Invalid,
    WrongType,
}
