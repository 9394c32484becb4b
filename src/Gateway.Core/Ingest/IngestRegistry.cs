using System.Collections.Concurrent;
using Gateway.Core.Net;
using Gateway.Core.Rooms;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Ingest;

/// <summary>
/// Every ingest of this gateway: checks a request (URL policy, cap), starts its supervisor, stops it gracefully.
/// A hosted service: the declared <c>Ingests:Sources</c> start with the gateway, and every ffmpeg is stopped when
/// it stops.
/// </summary>
public sealed partial class IngestRegistry : IHostedService
{
    private readonly ConcurrentDictionary<string, Ingest> _ingests = new(StringComparer.Ordinal);
    private readonly IngestOptions _options;
    private readonly SegmenterOptions _segmenter;
    private readonly SessionHost _host;
    private readonly RoomRegistry _rooms;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _admit = new();
    private readonly Admission.FleetSlots? _fleet;

    public IngestRegistry(
        IOptions<IngestOptions> options, IOptions<SegmenterOptions> segmenter, OutboundUrlPolicy outbound, SessionHost host, RoomRegistry rooms,
        TimeProvider time, ILogger<IngestRegistry> logger, Admission.FleetSlots? fleet = null)
    {
        _fleet = fleet is { Enabled: true } ? fleet : null;
        _rooms = rooms;
        _options = options.Value;
        _segmenter = segmenter.Value;
        _host = host;
        _time = time;
        _logger = logger;
        Policy = new IngestUrlPolicy(_options.Schemes, _options.AllowedHosts ?? [], outbound);
    }

    public IngestUrlPolicy Policy { get; }

    public IReadOnlyList<IngestSnapshot> List() => [.. _ingests.Values.OrderBy(i => i.CreatedAt).Select(i => i.Snapshot())];

    public IngestSnapshot? Find(string id) => _ingests.TryGetValue(id, out var ingest) ? ingest.Snapshot() : null;

    /// <summary>Rolling WebVTT and SRT (<c>captions.vtt</c>, <c>.srt</c>); null for an unknown id.</summary>
    public IIngestCaptions? Captions(string id) => _ingests.GetValueOrDefault(id)?.Captions;

    public string? Playlist(string id) => _ingests.GetValueOrDefault(id) is { } i ? i.Captions.Playlist(i.PositionMs, i.Ended) : null;

    public string? SubtitleSegment(string id, long index) => _ingests.GetValueOrDefault(id) is { } i && index >= 0 ? i.Captions.Segment(index) : null;

    /// <summary>Checks and starts an ingest; the error carries the HTTP status the API answers with.</summary>
    /// <param name="maxForOwner">Running ingests the request's owner may have (its key's <c>MaxIngests</c>); 0 = no limit.</param>
    public async Task<(IngestSnapshot? Ingest, IngestError? Error)> CreateAsync(IngestRequest request, CancellationToken cancellationToken, int maxForOwner = 0)
    {
        // The live start message's check, before anything is fetched: the same bounds, the same message.
        if (!SegmenterSettings.TryResolve(_segmenter, request.Segmentation, out _, out var segmentationError))
        {
            return (null, new IngestError(400, IngestErrorCodes.InvalidSegmentation, $"segmentation: {segmentationError}"));
        }

        if (await Policy.CheckAsync(request.Url, cancellationToken) is { } denied)
        {
            var status = denied.StartsWith("scheme", StringComparison.Ordinal) || denied.StartsWith("the url", StringComparison.Ordinal) ? 400 : 403;
            Log.Refused(_logger, IngestUrlPolicy.Redact(request.Url), denied);
            return (null, new IngestError(status, status == 400 ? IngestErrorCodes.InvalidUrl : IngestErrorCodes.UrlDenied, denied));
        }

        var id = $"ing-{Guid.NewGuid():N}"[..16];
        var ingest = new Ingest(id, request, _options, _host, _rooms, _time, _logger);
        lock (_admit)
        {
            if (_ingests.Values.Count(i => !i.Ended) >= _options.MaxIngests)
            {
                return (null, new IngestError(429, IngestErrorCodes.TooManyIngests, $"the gateway runs its maximum of {_options.MaxIngests} ingests; stop one first"));
            }

            if (maxForOwner > 0 && _ingests.Values.Count(i => !i.Ended && i.Owner == request.Owner) >= maxForOwner)
            {
                return (null, new IngestError(429, IngestErrorCodes.QuotaExceeded, $"key \"{request.Owner}\" runs its maximum of {maxForOwner} ingests (MaxIngests); stop one first"));
            }

            _ingests[id] = ingest;
        }

        // With Admission:Scope=Fleet the key's MaxIngests holds across the fleet: its slot lives as long as the ingest.
        Admission.FleetSlot? slot = null;
        if (_fleet is not null && maxForOwner > 0 && request.Owner is { } owner)
        {
            var fleet = await _fleet.TryAcquireAsync(_fleet.Scope(Auth.Authenticator.IngestsScope(owner)), maxForOwner, _time.GetUtcNow());
            if (!fleet.Acquired)
            {
                _ingests.TryRemove(id, out _);
                return (null, new IngestError(429, IngestErrorCodes.QuotaExceeded, $"key \"{owner}\" runs its maximum of {maxForOwner} ingests (MaxIngests) across the fleet; stop one first"));
            }

            slot = fleet.Slot!;
        }

        if (await ingest.StartAsync() is { } refused)
        {
            await ingest.Completion;
            slot?.Dispose();
            _ingests.TryRemove(id, out _);
            var status = refused.Code is "server_full" or "server_shutdown" or "room_limit" or "room_full" ? 503 : 400;
            return (null, new IngestError(status, refused.Code, refused.Message));
        }

        if (slot is not null)
        {
            _ = ingest.Completion.ContinueWith(static (_, state) => ((Admission.FleetSlot)state!).Dispose(), slot, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return (ingest.Snapshot(), null);
    }

    /// <summary>Graceful stop; the ingest stays listed (stopped) with its captions until the gateway stops.</summary>
    public async Task<IngestSnapshot?> StopAsync(string id, CancellationToken cancellationToken)
    {
        if (!_ingests.TryGetValue(id, out var ingest))
        {
            return null;
        }

        await ingest.StopAsync(cancellationToken);
        return ingest.Snapshot();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var source in _options.Sources)
        {
            var (_, error) = await CreateAsync(new IngestRequest(source.Url, source.Room, source.Speaker, source.Language, null, source.Segmentation), cancellationToken);
            if (error is not null)
            {
                Log.Refused(_logger, IngestUrlPolicy.Redact(source.Url), error.Message);
            }
        }
    }

    /// <summary>Stops every ingest (ffmpeg killed, pending results delivered) within the host's shutdown time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_ingests.Values.Select(i => i.StopAsync(cancellationToken)));
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown time ran out; CliWrap has killed every ffmpeg when its token was cancelled.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.IngestRefused, LogLevel.Information, "Ingest of {Url} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string url, string reason);
    }
}
