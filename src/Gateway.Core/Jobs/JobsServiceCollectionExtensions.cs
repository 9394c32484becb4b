using Gateway.Core.Configuration;
using Gateway.Core.Jobs.Store;
using Gateway.Core.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>The <c>Jobs</c> section, the file transcription engine and the job connection scheduler.</summary>
    public static IServiceCollection AddGatewayJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<JobsOptions, JobsOptionsValidator>(configuration, JobsOptions.Section);
        services.AddGatewayOptions<OutboundUrlOptions, OutboundUrlOptionsValidator>(configuration, OutboundUrlOptions.Section);
        services.TryAddSingleton<OutboundUrlPolicy>();
        services.TryAddSingleton<JobCallbacks>();
        services.TryAddSingleton<JobConnectionScheduler>();
        services.TryAddSingleton<IFileTranscriber, FileTranscriber>();
        services.TryAddSingleton<JobDataDirectory>();
        services.TryAddSingleton<JobActivity>();
        services.TryAddSingleton<IJobStore>(sp => sp.GetRequiredService<IOptions<JobsOptions>>().Value.Redis is { Length: > 0 }
            ? ActivatorUtilities.CreateInstance<RedisJobStore>(sp)
            : ActivatorUtilities.CreateInstance<SqliteJobStore>(sp));
        services.TryAddSingleton<JobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
        services.TryAddSingleton(sp => new JobService(
            sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<JobWorker>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
            sp.GetRequiredService<JobDataDirectory>(), sp.GetRequiredService<JobActivity>(), sp.GetRequiredService<OutboundUrlPolicy>()));
        return services;
    }
}
