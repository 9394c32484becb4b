using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>The <c>Jobs</c> section, the file transcription engine and the job connection scheduler.</summary>
    public static IServiceCollection AddGatewayJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<JobsOptions, JobsOptionsValidator>(configuration, JobsOptions.Section);
        services.TryAddSingleton<JobConnectionScheduler>();
        services.TryAddSingleton<IFileTranscriber, FileTranscriber>();
        return services;
    }
}
