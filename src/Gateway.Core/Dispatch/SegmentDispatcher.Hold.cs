using System.Globalization;

namespace Gateway.Core.Dispatch;

/// <summary>
/// Holding: while the session's head segment cannot get an upstream (it failed or is away), every segment of the
/// session whose end is known counts its audio against the session's and the gateway's budget of held audio. A
/// segment that does not fit fails at once with the cause; the others are sent, in order, when an upstream is back.
/// </summary>
internal sealed partial class SegmentDispatcher
{
    /// <summary>The head could not get an upstream: hold every ended segment. Returns those that did not fit.</summary>
    private List<(SegmentJob Job, string Cause)>? BeginHolding()
    {
        List<(SegmentJob, string)>? refused = null;
        lock (_unfinished)
        {
            _holding = true;
            foreach (var job in _unfinished)
            {
                job.Held = true;
                if (job.End is not null && TryHoldLocked(job) is { } cause)
                {
                    (refused ??= []).Add((job, cause));
                }
            }
        }

        return refused;
    }

    /// <summary>The head has an upstream again: stop holding; its own reservation goes.</summary>
    private void EndHolding(SegmentJob head)
    {
        lock (_unfinished)
        {
            _holding = false;
            ReturnHoldLocked(head);
        }
    }

    /// <summary>Reserves the segment's audio; the cause when it does not fit, null when it does (or already did).</summary>
    private string? TryHoldLocked(SegmentJob job)
    {
        job.Held = true;
        var bytes = Math.Max(job.Audio.Length, 1); // an empty segment still takes a place
        if (job.ReservedBytes > 0 || job.IsResolved)
        {
            return null;
        }

        if (_sessionHeld + bytes > _sessionHoldLimit)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the upstream is unavailable and this session already holds {_sessionHeld / 32_000.0:0.#} s of audio (limit Dispatch:SessionHoldSeconds = {_services.Options.SessionHoldSeconds:0.#} s); this segment was not transcribed");
        }

        if (!_services.Hold.TryReserve(bytes))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the upstream is unavailable and the gateway already holds {_services.Hold.HeldBytes / 1_048_576.0:0.#} MiB of audio (limit Dispatch:GatewayHoldBytes = {_services.Hold.LimitBytes} bytes); this segment was not transcribed");
        }

        job.ReservedBytes = bytes;
        _sessionHeld += job.ReservedBytes;
        return null;
    }

    private void ReturnHoldLocked(SegmentJob job)
    {
        if (job.ReservedBytes > 0)
        {
            _services.Hold.Return(job.ReservedBytes);
            _sessionHeld -= job.ReservedBytes;
            job.ReservedBytes = 0;
        }
    }
}
