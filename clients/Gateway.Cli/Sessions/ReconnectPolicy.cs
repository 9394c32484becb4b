using Gateway.Cli.Protocol;
using Polly;
using Polly.Retry;

namespace Gateway.Cli.Sessions;

/// <summary>
/// How a lost connection is retried: exponential backoff from 250 ms to 4 s with jitter (so the clients of one
/// network blip do not come back in step), for as long as the resume window lasts (the caller's token ends it).
/// </summary>
internal static class ReconnectPolicy
{
    public static ResiliencePipeline Create(Action<int, TimeSpan, Exception?> onRetry) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<CannotConnectException>(),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(250),
            MaxDelay = TimeSpan.FromSeconds(4),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args =>
            {
                onRetry(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                return default;
            },
        })
        .Build();
}
