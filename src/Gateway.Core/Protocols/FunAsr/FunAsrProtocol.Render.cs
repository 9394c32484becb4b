using System.Globalization;
using System.Text;
using Gateway.Core.Admission;
using Gateway.Core.Results;
using Gateway.Core.Sessions;
using Gateway.Upstream;
using Gateway.Upstream.Replies;

namespace Gateway.Core.Protocols.FunAsr;

/// <summary>Rendering: the send loop's side. All state here belongs to the send loop alone.</summary>
internal sealed partial class FunAsrProtocol
{
    private readonly bool _offlineIsFinal;
    private readonly StringBuilder _offlineText = new();
    private readonly List<string> _errors = [];
    private long _origin;
    private long _onlineSegment = -1;
    private string _onlineSent = "";

    public void Write(MessageBatch output, ServerEvent serverEvent)
    {
        switch (serverEvent)
        {
            case PartialEvent update when Flavour == FunAsrFlavour.TwoPass:
                if (_utterances.Current.Mode != FunAsrModes.Offline)
                {
                    WriteDelta(output, update.SegmentId, update.Text);
                }

                break;
            case FinalEvent final:
                OnFinal(output, final);
                break;
            case FlushedEvent flushed:
                OnFlushed(output, flushed);
                break;
            case WaitEvent wait:
                FunAsrMessages.Error(output, "server_full", string.Create(
                    CultureInfo.InvariantCulture,
                    $"Server is full ({wait.MaxClients} sessions); estimated wait {Math.Ceiling(wait.EstimatedWait.TotalSeconds)} s. Try again later."),
                    _utterances.Current.WavName);
                break;
            case ErrorEvent { Fatal: true } error:
                FunAsrMessages.Error(output, error.Code, error.Message, _utterances.Current.WavName);
                break;
            case ErrorEvent error:
                _errors.Add($"{error.Code}: {error.Message}");
                break;
            case DisconnectEvent disconnect:
                FunAsrMessages.Error(output, disconnect.Reason.Name(), disconnect.Message, _utterances.Current.WavName);
                break;
            case OverflowEvent overflow:
                _errors.Add(string.Create(CultureInfo.InvariantCulture, $"audio_overflow: {overflow.DroppedSamples / 16} ms of audio were dropped"));
                break;
            case SegmentFailedEvent failed:
                _errors.Add($"{failed.Code}: {failed.Message}");
                break;
            default:
                break; // ready and speech start/end have no FunASR message
        }
    }

    private void OnFinal(MessageBatch output, FinalEvent final)
    {
        if (Flavour == FunAsrFlavour.Offline)
        {
            TextJoin.Append(_offlineText, final.Text);
            return;
        }

        var current = _utterances.Current;
        if (current.Mode == FunAsrModes.Online)
        {
            // Online mode has no second pass: the final only completes the streamed text where it extends it.
            WriteDelta(output, final.SegmentId, final.Text);
        }
        else if (final.Sentences.Count == 0)
        {
            WriteSentence(output, final.Text, final.StartSample, final.EndSample, current.WavName);
        }
        else
        {
            foreach (var sentence in final.Sentences)
            {
                WriteSentence(output, sentence.Text, sentence.StartSample, sentence.EndSample, current.WavName);
            }
        }

        _onlineSegment = -1;
        _onlineSent = "";
    }

    /// <summary>The end of speech is fully handled: the utterance's terminal message, then the ack if asked for.</summary>
    private void OnFlushed(MessageBatch output, FlushedEvent flushed)
    {
        var utterance = _utterances.Complete();
        if (Flavour == FunAsrFlavour.TwoPass)
        {
            FunAsrMessages.TwoPassFinal(output, utterance.WavName);
        }
        else
        {
            FunAsrMessages.OfflineResult(output, _offlineIsFinal, _offlineText.ToString(), utterance.WavName);
        }

        if (utterance.AckRequested)
        {
            FunAsrMessages.Ack(output, utterance.Mode, utterance.WavName, _errors.Count == 0 ? null : string.Join("; ", _errors));
        }

        _offlineText.Clear();
        _errors.Clear();
        _onlineSegment = -1;
        _onlineSent = "";
        _origin = flushed.AudioSamples;
    }

    /// <summary>
    /// Partials carry the whole text so far; 2pass-online messages carry only what is new. A partial that does not
    /// extend what was sent (a revision) sends nothing: the sentence that follows replaces the online line anyway.
    /// </summary>
    private void WriteDelta(MessageBatch output, long segmentId, string text)
    {
        if (segmentId != _onlineSegment)
        {
            _onlineSegment = segmentId;
            _onlineSent = "";
        }

        if (text.Length > _onlineSent.Length && text.StartsWith(_onlineSent, StringComparison.Ordinal))
        {
            FunAsrMessages.Online(output, text[_onlineSent.Length..], _utterances.Current.WavName);
            _onlineSent = text;
        }
    }

    private void WriteSentence(MessageBatch output, string text, long start, long end, string wavName)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            FunAsrMessages.Sentence(output, text, Ms(start), Ms(end), wavName);
        }
    }

    /// <summary>Milliseconds from the start of the current utterance (the previous end of speech), as the 2pass server counts.</summary>
    private long Ms(long sample) => Math.Max(0, sample - _origin) / 16;
}
