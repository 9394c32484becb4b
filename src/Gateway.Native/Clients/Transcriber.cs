using System.Text;
using Gateway.Upstream;
using Gateway.Upstream.Replies;

namespace Gateway.Native.Clients;

/// <summary>One utterance through the pool: the whole buffer up, the recognised text back.</summary>
internal static class Transcriber
{
    /// <summary>
    /// Sends <paramref name="pcm"/> in <paramref name="frameBytes"/> frames (the last with the end of speech) while
    /// reading the results. The text is the sentences joined (FunASR's second pass replaces the online partials
    /// of a sentence); online-only deltas that no sentence replaced are appended at the end.
    /// </summary>
    public static async Task<(string? Text, UpstreamError Error)> RunAsync(UpstreamClient client, ReadOnlyMemory<byte> pcm, int frameBytes)
    {
        var start = await client.StartUtteranceAsync().ConfigureAwait(false);
        if (!start.Succeeded)
        {
            return (null, start.Error);
        }

        var utterance = start.Utterance;
        await using (utterance.ConfigureAwait(false))
        {
            var reading = ReadTextAsync(utterance);
            var offset = 0;
            var error = UpstreamError.None;
            for (; offset + frameBytes < pcm.Length && error == UpstreamError.None; offset += frameBytes)
            {
                error = await utterance.PushAudioAsync(pcm.Slice(offset, frameBytes)).ConfigureAwait(false);
            }

            // After a failed push FinishAsync returns the error at once; the reader ends with the same failure.
            await utterance.FinishAsync(error == UpstreamError.None ? pcm[offset..] : default).ConfigureAwait(false);
            return await reading.ConfigureAwait(false);
        }
    }

    private static async Task<(string? Text, UpstreamError Error)> ReadTextAsync(UpstreamUtterance utterance)
    {
        var text = new StringBuilder();
        var online = new StringBuilder();
        while (true)
        {
            var r = await utterance.ReadAsync().ConfigureAwait(false);
            switch (r.Kind)
            {
                case UpstreamResultKind.Partial:
                    online.Append(r.Text);
                    break;
                case UpstreamResultKind.Sentence:
                    TextJoin.Append(text, r.Text);
                    online.Clear();
                    break;
                case UpstreamResultKind.Completed:
                    TextJoin.Append(text, online.ToString());
                    return (text.ToString(), UpstreamError.None);
                case UpstreamResultKind.Failed:
                    return (null, r.Error);
            }
        }
    }
}
