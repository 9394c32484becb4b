namespace FunAsr.Simulator.Protocol;

/// <summary>
/// The behaviour of one simulated server flavour on one connection. <see cref="OnText"/> and
/// <see cref="OnBinary"/> run on the receive loop (like the servers' network threads) and queue decode
/// work on the connection's ordered processing loop (like the 2pass asio strand).
/// </summary>
internal interface IFlavourSession
{
    void OnText(string text);

    void OnBinary(ReadOnlySpan<byte> data);
}
