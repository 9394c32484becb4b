namespace Gateway.Upstream.Replies;

/// <summary>The <c>mode</c> label of a FunASR reply, folded by meaning.</summary>
internal enum FunAsrReplyMode : byte
{
    /// <summary>No <c>mode</c> key (the C++ 2pass final without text).</summary>
    None,

    /// <summary><c>2pass-online</c> or <c>online</c>: a partial delta to append.</summary>
    Online,

    /// <summary><c>2pass-offline</c> or <c>offline</c>: a whole sentence.</summary>
    Offline,

    /// <summary><c>2pass</c>: the Python server's is_end acknowledgement echoes the requested mode.</summary>
    TwoPass,

    /// <summary>Any other label.</summary>
    Other,
}
