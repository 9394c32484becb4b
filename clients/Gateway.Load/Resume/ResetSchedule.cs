namespace Gateway.Load.Resume;

/// <summary>
/// Every <c>--reset-every</c> seconds, resets a random <c>--reset-fraction</c> of the streams that are streaming
/// (not those closing or already resuming): a network blip mid-speech.
/// </summary>
internal sealed class ResetSchedule(TimeSpan every, double fraction, int seed)
{
    private readonly Lock _gate = new();
    private readonly List<ResumingNativeClient> _clients = [];

    public void Add(ResumingNativeClient client)
    {
        lock (_gate)
        {
            _clients.Add(client);
        }
    }

    public void Remove(ResumingNativeClient client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }

    public async Task RunAsync(CancellationToken token)
    {
        var random = new Random(seed);
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                List<ResumingNativeClient> streaming;
                lock (_gate)
                {
                    streaming = _clients.Where(c => c.Resettable).ToList();
                }

                var count = (int)Math.Round(streaming.Count * fraction);
                foreach (var client in streaming.OrderBy(_ => random.Next()).Take(count))
                {
                    client.Reset();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }
}
