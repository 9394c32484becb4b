using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Jobs.Store;

public sealed class RedisJobStoreTests : JobStoreBehaviour
{
    private RedisServer? _redis;

    public override async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _redis!.DisposeAsync();
    }

    protected override IJobStore CreateStore(JobsOptions options) => new RedisJobStore(Wrap(With(options)), TimeProvider.System);

    protected override IJobStore CreateSiblingStore(IJobStore first, JobsOptions options) => new RedisJobStore(Wrap(With(options)), TimeProvider.System);

    private JobsOptions With(JobsOptions options)
    {
        options.Redis = _redis!.Configuration;
        return options;
    }
}
