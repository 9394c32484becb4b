using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Core.Instance;
using Gateway.Core.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Core.Rooms;

/// <summary>
/// The shared <see cref="IRoomBus"/> (docs/scale-out.md §2): Redis numbers every event of a room and keeps the
/// retained ones in a Stream (history for late joiners and <c>Last-Event-ID</c>, independent of any gateway), and the
/// same script publishes the event on the room's channel. Each gateway subscribes to the rooms its own viewers follow,
/// renders each event once and fans it out with <see cref="RoomFanOut"/>, like the local bus.
/// </summary>
/// <remarks>
/// <see cref="Publish"/> never waits: the script is queued on the shared multiplexer (so one gateway's events keep
/// their call order) and a failure is counted and logged, never thrown into a session. Delivery runs on the
/// subscription's own ordered queue. A gap in the numbers (the subscription was cut while Redis was away) is filled
/// from the history, so a viewer misses at most partials. Subscribe, Finals, LastSequence and the speaker claim make
/// one or a few round trips, awaited (no thread waits on Redis, and no lock is held across a round trip); when Redis
/// does not answer they throw <see cref="RoomBusUnavailableException"/> (the claim: true, see there).
/// </remarks>
public sealed partial class RedisRoomBus : IRoomBus
{
    private readonly ConcurrentDictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    private readonly RedisConnection _redis;
    private readonly RoomMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly string _capacity;
    private readonly string _ttlMs;
    private readonly string _instance;
    private int _failing;
    private int _inFlight;

    public RedisRoomBus(IOptions<RoomOptions> options, RedisConnection redis, GatewayInstance instance, ILogger<RedisRoomBus> logger, RoomMetrics? metrics = null)
    {
        _redis = redis;
        _instance = instance.Id;
        _logger = logger;
        _metrics = metrics;
        _capacity = options.Value.HistoryCapacity.ToString(CultureInfo.InvariantCulture);
        // A backstop only: a room whose every gateway died goes after this; live rooms renew it with each event.
        var ttl = TimeSpan.FromTicks(Math.Max(TimeSpan.FromHours(1).Ticks, 2 * options.Value.MaxRetention.Ticks));
        _ttlMs = ((long)ttl.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    }

    public void Publish(string room, RoomEventData data)
    {
        var keys = new RoomKeys(_redis, room);
        var retained = data.Kind != RoomEventKind.Partial;
        Task<RedisResult> sent;
        try
        {
            sent = _redis.Database.ScriptEvaluateAsync(
                RoomScripts.Publish,
                [keys.Seq, keys.History, keys.Gateways],
                [RoomEventCodec.Encode(data), retained ? 1 : 0, _capacity, keys.Events.ToString(), _ttlMs, _instance]);
        }
        catch (RedisException ex)
        {
            Failed(room, ex);
            return;
        }

        Interlocked.Increment(ref _inFlight);
        _ = ObserveAsync(sent, room);
    }

    public async Task<RoomReplay> SubscribeAsync(string room, long? after, IRoomViewer viewer)
    {
        try
        {
            var db = _redis.Database;
            while (true)
            {
                var feed = await OpenAsync(room);
                await db.ScriptEvaluateAsync(RoomScripts.Hold, [feed.Keys.Gateways], [_instance, _ttlMs]); // a gateway with viewers holds the room too
                if (after is not null && (long)await db.StringGetAsync(feed.Keys.Seq) is var last && after > last)
                {
                    throw new ArgumentOutOfRangeException(nameof(after), after, $"the room's last event is {last}");
                }

                // Everything up to Delivered went to the viewers already here; the new one gets it from the history and
                // everything after it live: no gap, no repeat. The history is read outside the lock (no round trip may
                // hold up delivery), then the lock checks nothing was delivered meanwhile; if something was, that part
                // is read too.
                var history = new List<RoomEvent>();
                var read = after ?? 0;
                while (true)
                {
                    var upTo = Volatile.Read(ref feed.Delivered);
                    history.AddRange(await ReadAsync(feed.Keys, read + 1, upTo));
                    read = Math.Max(read, upTo);
                    lock (feed.Gate)
                    {
                        if (feed.Closed)
                        {
                            break; // its last viewer left meanwhile; open it again
                        }

                        if (feed.Delivered <= read)
                        {
                            feed.Viewers = [.. feed.Viewers, viewer];
                            return new RoomReplay(after is null ? RoomFanOut.SortedFinals(history) : history, feed.Delivered);
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new RoomBusUnavailableException(ex);
        }
    }

    public void Unsubscribe(string room, IRoomViewer viewer)
    {
        if (!_feeds.TryGetValue(room, out var feed))
        {
            return;
        }

        lock (feed.Gate)
        {
            feed.Viewers = [.. feed.Viewers.Where(v => !ReferenceEquals(v, viewer))];
            if (feed.Viewers.Length == 0)
            {
                Close(room, feed); // no local viewer: stop taking the room's traffic
            }
        }
    }

    public async Task<IReadOnlyList<RoomEvent>> FinalsAsync(string room) =>
        RoomFanOut.SortedFinals(await Guard(ReadAsync(new RoomKeys(_redis, room), 1, long.MaxValue)));

    public async Task<long> LastSequenceAsync(string room) => (long)await Guard(_redis.Database.StringGetAsync(new RoomKeys(_redis, room).Seq));

    public void Remove(string room)
    {
        IRoomViewer[] viewers = [];
        if (_feeds.TryGetValue(room, out var feed))
        {
            lock (feed.Gate)
            {
                viewers = feed.Viewers;
                feed.Viewers = [];
                Close(room, feed);
            }
        }

        foreach (var viewer in viewers)
        {
            viewer.Dropped(RoomDropReason.RoomClosed);
        }

        // The shared state goes only when no other gateway still holds the room (a gateway leaving does not end it).
        // Queued, not awaited (this runs under the registry's lock): commands keep their order on the multiplexer, so
        // a room of the same name opened next starts after the removal. A failure leaves the keys to their backstop expiry.
        var keys = new RoomKeys(_redis, room);
        Task<RedisResult> sent;
        try
        {
            sent = _redis.Database.ScriptEvaluateAsync(RoomScripts.Remove, keys.All, [keys.InstancePrefix, _instance]);
        }
        catch (RedisException ex)
        {
            Failed(room, ex);
            return;
        }

        Interlocked.Increment(ref _inFlight);
        _ = ObserveAsync(sent, room);
    }

    /// <summary>
    /// Seats <paramref name="speaker"/> fleet-wide (one script, one round trip): false when a live gateway holds the
    /// name already. Redis unavailable: true (the names are then unique per gateway only), counted and logged.
    /// </summary>
    public async Task<bool> TryClaimSpeakerAsync(string room, string speaker)
    {
        var keys = new RoomKeys(_redis, room);
        try
        {
            return (long)await _redis.Database.ScriptEvaluateAsync(RoomScripts.Claim, [keys.Speakers, keys.Gateways], [RoomNames.SpeakerKey(speaker), _instance, keys.InstancePrefix, _ttlMs]) == 1;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(room, ex);
            return true;
        }
    }

    public void ReleaseSpeaker(string room, string speaker)
    {
        try
        {
            _redis.Database.ScriptEvaluate(RoomScripts.Release, [new RoomKeys(_redis, room).Speakers], [RoomNames.SpeakerKey(speaker), _instance], CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(room, ex); // the name lapses with this gateway's membership, or goes with the room
        }
    }

    internal string Prefix => _redis.Prefix;

    /// <summary>Publishes and removals sent to Redis and not answered yet (<see cref="Publish"/> and <see cref="Remove"/> do not wait for them).</summary>
    internal int PublishesInFlight => Volatile.Read(ref _inFlight);

    /// <summary>The last event this gateway delivered to its viewers of <paramref name="room"/> (null when none follow it): for tests that wait for delivery.</summary>
    internal long? DeliveredSequence(string room) => _feeds.TryGetValue(room, out var feed) ? Volatile.Read(ref feed.Delivered) : null;

    private async Task<Feed> OpenAsync(string room)
    {
        while (true)
        {
            var feed = _feeds.GetOrAdd(room, static (r, redis) => new Feed(new RoomKeys(redis, r)), _redis);
            Task ready;
            lock (feed.Gate)
            {
                if (feed.Closed)
                {
                    continue;
                }

                ready = feed.Ready ??= ConnectAsync(feed);
            }

            try
            {
                await ready;
            }
            catch
            {
                lock (feed.Gate)
                {
                    if (ReferenceEquals(feed.Ready, ready))
                    {
                        feed.Ready = null; // the next viewer tries again
                    }
                }

                throw;
            }

            return feed;
        }
    }

    /// <summary>Subscribed first, then the number read: whatever is published after it arrives on the queue.</summary>
    private async Task ConnectAsync(Feed feed)
    {
        var queue = await _redis.Multiplexer.GetSubscriber().SubscribeAsync(feed.Keys.Events);
        long delivered;
        try
        {
            delivered = (long)await _redis.Database.StringGetAsync(feed.Keys.Seq);
        }
        catch
        {
            _ = queue.UnsubscribeAsync(CommandFlags.FireAndForget);
            throw;
        }

        lock (feed.Gate)
        {
            Volatile.Write(ref feed.Delivered, delivered);
            feed.Queue = queue;
            if (feed.Closed)
            {
                _ = queue.UnsubscribeAsync(CommandFlags.FireAndForget); // closed while it connected
                return;
            }
        }

        queue.OnMessage(message => DeliverAsync(feed, message));
    }

    private void Close(string room, Feed feed)
    {
        feed.Closed = true;
        _feeds.TryRemove(new KeyValuePair<string, Feed>(room, feed));
        if (feed.Queue is { } queue)
        {
            _ = queue.UnsubscribeAsync(CommandFlags.FireAndForget);
        }
    }

    private async Task DeliverAsync(Feed feed, ChannelMessage message)
    {
        byte[] payload = (byte[])message.Message!;
        var newline = payload.AsSpan().IndexOf((byte)'\n');
        if (newline <= 0 || !Utf8Parser.TryParse(payload.AsSpan(0, newline), out long sequence, out _))
        {
            return; // not ours
        }

        List<RoomEvent>? missed = null;
        var delivered = Volatile.Read(ref feed.Delivered);
        if (sequence > delivered + 1)
        {
            // The subscription was cut (Redis restarted or the link dropped): the retained events in between are in
            // the history; only partials are gone.
            try
            {
                missed = await ReadAsync(feed.Keys, delivered + 1, sequence - 1);
            }
            catch (RedisException ex)
            {
                Failed(feed.Keys.Events.ToString(), ex);
            }
        }

        var roomEvent = RoomEventWriter.Render(sequence, RoomEventCodec.Decode(payload.AsSpan(newline + 1)));
        var count = 0;
        List<IRoomViewer>? dropped = null;
        lock (feed.Gate)
        {
            if (feed.Closed || sequence <= feed.Delivered)
            {
                return;
            }

            foreach (var earlier in missed ?? [])
            {
                if (earlier.Sequence > feed.Delivered)
                {
                    Merge(ref dropped, RoomFanOut.Deliver(earlier, ref feed.Viewers, out var n));
                    count += n;
                }
            }

            Merge(ref dropped, RoomFanOut.Deliver(roomEvent, ref feed.Viewers, out var live));
            count += live;
            Volatile.Write(ref feed.Delivered, sequence);
        }

        RoomFanOut.Finish(dropped, count, _metrics);
    }

    private static void Merge(ref List<IRoomViewer>? all, List<IRoomViewer>? more)
    {
        if (more is not null)
        {
            (all ??= []).AddRange(more);
        }
    }

    private async Task<List<RoomEvent>> ReadAsync(RoomKeys keys, long from, long to) =>
        from > to ? [] : Decode(await _redis.Database.StreamRangeAsync(keys.History, "0-" + from.ToString(CultureInfo.InvariantCulture), To(to)));

    private static RedisValue To(long to) => to == long.MaxValue ? "+" : "0-" + to.ToString(CultureInfo.InvariantCulture);

    private static List<RoomEvent> Decode(StreamEntry[] entries)
    {
        var events = new List<RoomEvent>(entries.Length);
        foreach (var entry in entries)
        {
            var id = entry.Id.ToString();
            var sequence = long.Parse(id.AsSpan(id.IndexOf('-') + 1), CultureInfo.InvariantCulture);
            events.Add(RoomEventWriter.Render(sequence, RoomEventCodec.Decode((byte[])entry.Values[0].Value!)));
        }

        return events;
    }

    private async Task ObserveAsync(Task<RedisResult> sent, string room)
    {
        try
        {
            await sent;
            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                Log.BusRecovered(_logger);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(room, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Failed(string room, Exception ex)
    {
        _metrics?.BusFailed();
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            Log.BusFailed(_logger, room, ex.Message); // once per outage, not once per event
        }
    }

    private static async Task<T> Guard<T>(Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new RoomBusUnavailableException(ex);
        }
    }

    /// <summary>One room as this gateway follows it: its local viewers and the last event they were given.</summary>
    private sealed class Feed(RoomKeys keys)
    {
        public readonly Lock Gate = new();
        public readonly RoomKeys Keys = keys;
        public IRoomViewer[] Viewers = [];
        public long Delivered;
        public ChannelMessageQueue? Queue;
        public Task? Ready;
        public bool Closed;
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.RoomBusFailed, LogLevel.Warning, "Room bus: Redis did not take an event of room {Room} ({Error}); viewers on other gateways miss events until it is back")]
        public static partial void BusFailed(ILogger logger, string room, string error);

        [LoggerMessage(Diagnostics.EventIds.RoomBusRecovered, LogLevel.Information, "Room bus: Redis takes room events again")]
        public static partial void BusRecovered(ILogger logger);
    }
}
