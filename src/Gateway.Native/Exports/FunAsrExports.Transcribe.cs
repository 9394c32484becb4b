using System.Runtime.InteropServices;
using Gateway.Native.Audio;
using Gateway.Native.Clients;
using Gateway.Native.Errors;
using Gateway.Native.Interop;

namespace Gateway.Native.Exports;

internal static unsafe partial class FunAsrExports
{
    /// <summary>
    /// <c>const char* funasr_pcm(const uint8_t* pcm_data, uint32_t pcm_len, const char* ws_url)</c>: 16 kHz mono PCM16LE
    /// in, the recognised text (UTF-8, plain text, owned by the caller: <c>funasr_free</c>) out; NULL on failure.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_pcm")]
    public static byte* Pcm(byte* pcmData, uint pcmLength, byte* wsUrl)
    {
        try
        {
            // (NULL, 0) is empty audio, not a NULL argument: bindings pass NULL for an empty buffer (koffi does).
            if ((pcmData == null && pcmLength > 0) || NativeStrings.Read(wsUrl) is not { } url)
            {
                return Fail(FunAsrStatus.NullArgument);
            }

            if (pcmLength > int.MaxValue)
            {
                return Fail(FunAsrStatus.BadAudio);
            }

            using var memory = new PointerMemory(pcmData, (int)pcmLength);
            return Transcribe(ClientRegistry.Acquire(), url, memory.Memory);
        }
        catch (Exception)
        {
            return Fail(FunAsrStatus.Internal);
        }
    }

    /// <summary>
    /// <c>const char* funasr_pcm_file(const char* pcm_path, const char* ws_url)</c>: the same for a raw PCM16 file or a
    /// 16 kHz mono PCM16 .wav (its header skipped).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_pcm_file")]
    public static byte* PcmFile(byte* pcmPath, byte* wsUrl)
    {
        try
        {
            if (NativeStrings.Read(pcmPath) is not { } path || NativeStrings.Read(wsUrl) is not { } url)
            {
                return Fail(FunAsrStatus.NullArgument);
            }

            var status = Audio.PcmFile.Read(path, out var pcm);
            return status == FunAsrStatus.Ok ? Transcribe(ClientRegistry.Acquire(), url, pcm) : Fail(status);
        }
        catch (Exception)
        {
            return Fail(FunAsrStatus.Internal);
        }
    }

    private static byte* Transcribe(ClientRegistry registry, string url, ReadOnlyMemory<byte> pcm)
    {
        var status = registry.TryGet(url, out var pool);
        if (status != FunAsrStatus.Ok)
        {
            return Fail(status);
        }

        // Checked after the URL, as the DLL does; unlike it, silence is not an error: no words return "".
        if (pcm.IsEmpty)
        {
            return Fail(FunAsrStatus.EmptyAudio);
        }

        if ((pcm.Length & 1) != 0)
        {
            return Fail(FunAsrStatus.BadAudio);
        }

        var start = registry.Counters.Request();
        // The caller's thread blocks (the DLL's contract is synchronous); the I/O runs on the thread pool.
        var (text, error) = Transcriber.RunAsync(pool!.Client, pcm, pool.Settings.FrameBytes).GetAwaiter().GetResult();
        if (text is null)
        {
            registry.Counters.Failure(start, error.IsTimeout());
            return Fail(error.ToStatus());
        }

        registry.Counters.Success(start);
        LastError.Set(FunAsrStatus.Ok);
        return ResultStrings.Allocate(text);
    }
}
