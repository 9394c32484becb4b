using System.Text.Json;
using Gateway.Core.Fetching;
using Gateway.Core.Jobs;
using Microsoft.Net.Http.Headers;

namespace Gateway.Server.Endpoints;

/// <summary>
/// Reads <c>POST /api/v1/asr/submit</c>'s JSON body <c>{"url": ..., "language", "hotwords", "priority", "callback_url",
/// "output_format"}</c>: the URL is fetched through the <see cref="SafeFetcher"/> (so the outbound policy decides where it
/// may connect) into a temporary file counted against <see cref="JobsOptions.MaxUploadBytes"/>; from there it is an upload.
/// </summary>
internal static class JobUrlUpload
{
    private const int MaxJsonBytes = 64 * 1024;

    public static bool IsJson(HttpContext context) =>
        MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    public static async Task<JobUpload.Received> ReadAsync(HttpContext context, JobService jobs, SafeFetcher fetcher)
    {
        if (context.Request.ContentLength > MaxJsonBytes)
        {
            return JobUpload.Refuse(StatusCodes.Status413PayloadTooLarge, $"the JSON body exceeds {MaxJsonBytes} bytes");
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            if (await ReadBodyAsync(context) is not { } body)
            {
                return JobUpload.Refuse(StatusCodes.Status413PayloadTooLarge, $"the JSON body exceeds {MaxJsonBytes} bytes");
            }

            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return JobUpload.Refuse(StatusCodes.Status400BadRequest, "the JSON body must be an object with a \"url\"");
            }

            foreach (var property in json.RootElement.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }
        catch (JsonException ex)
        {
            return JobUpload.Refuse(StatusCodes.Status400BadRequest, "malformed JSON body: " + ex.Message);
        }

        if (!fields.TryGetValue("url", out var url) || url.Length == 0)
        {
            return JobUpload.Refuse(StatusCodes.Status400BadRequest, "the JSON body has no \"url\" (or submit multipart with the recording in the 'audio' field)");
        }

        var limit = jobs.Options.MaxUploadBytes;
        var path = jobs.Directory.NewTempFile();
        try
        {
            await using var file = File.Create(path);
            if (await fetcher.CopyToAsync(url, file, limit, context.RequestAborted) == 0)
            {
                return JobUpload.Refuse(StatusCodes.Status422UnprocessableEntity, "the url's body is empty", path);
            }
        }
        catch (FetchRefusedException ex)
        {
            var status = ex.TooLarge ? StatusCodes.Status413PayloadTooLarge : ex.Denied ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status502BadGateway;
            return JobUpload.Refuse(status, ex.Message, path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        var name = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : null;
        var submission = JobUpload.Options(fields, name, null, out var error);
        return error is null ? new JobUpload.Received(submission, path, null) : JobUpload.Refuse(StatusCodes.Status422UnprocessableEntity, error, path);
    }

    /// <summary>The whole JSON body, or null when it is longer than <see cref="MaxJsonBytes"/> (it is small, not a recording).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var buffer = new byte[MaxJsonBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted)) > 0)
        {
            total += read;
        }

        return total > MaxJsonBytes ? null : buffer[..total];
    }
}
