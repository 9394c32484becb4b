namespace Gateway.Upstream.Pooling;

/// <summary>
/// What makes two connections of one endpoint interchangeable: the hotword set (compiled once per connection on the
/// C++ servers). chunk_size is connection-scoped too but fixed per endpoint, so the endpoint pool is its key.
/// </summary>
internal readonly record struct ConnectionKey(HotwordSet? Hotwords);
