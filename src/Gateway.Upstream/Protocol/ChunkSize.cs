namespace Gateway.Upstream.Protocol;

/// <summary>FunASR's <c>chunk_size</c> triple (look-back, chunk, look-ahead in 60 ms units); connection-scoped on 2pass.</summary>
internal readonly record struct ChunkSize(int Left, int Middle, int Right)
{
    public static readonly ChunkSize Default = new(5, 10, 5);

    public static ChunkSize From(int[]? values) => values is { Length: 3 } ? new(values[0], values[1], values[2]) : Default;
}
