using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;

namespace Gateway.FunctionalTests.Jobs.Store;

public sealed class SqliteJobStoreTests : JobStoreBehaviour
{
    protected override IJobStore CreateStore(JobsOptions options) =>
        new SqliteJobStore(Wrap(options), TimeProvider.System, new JobDataDirectory(options.DataDirectory));

    // Two connections on one database file: SQLite is the one-gateway store, but its claims still exclude each other.
    protected override IJobStore CreateSiblingStore(IJobStore first, JobsOptions options) => first;
}
