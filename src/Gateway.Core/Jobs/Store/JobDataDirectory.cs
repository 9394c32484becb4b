using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs.Store;

/// <summary><see cref="JobsOptions.DataDirectory"/> resolved against the content root, created on first use.</summary>
public sealed class JobDataDirectory
{
    public JobDataDirectory(IOptions<JobsOptions> options, IHostEnvironment environment)
        : this(System.IO.Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath))
    {
    }

    public JobDataDirectory(string path)
    {
        Path = path;
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(Temp);
    }

    public string Path { get; }

    /// <summary>Uploads being received (moved into the store when complete, deleted otherwise).</summary>
    public string Temp => System.IO.Path.Combine(Path, "incoming");

    public string NewTempFile() => System.IO.Path.Combine(Temp, JobIds.New());
}
