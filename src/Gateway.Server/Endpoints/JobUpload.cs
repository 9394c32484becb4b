using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Gateway.Server.Endpoints;

/// <summary>
/// Reads <c>POST /api/v1/asr/submit</c>'s multipart body as a stream: the <c>audio</c> file part goes straight to a
/// temporary file (never whole in memory), counted against <see cref="JobsOptions.MaxUploadBytes"/>; the other
/// parts are the options (language, hotwords, priority, callback_url, output_format).
/// </summary>
internal static class JobUpload
{
    private const int MaxFieldBytes = 16 * 1024;

    public sealed record Received(JobSubmission? Submission, string? Path, IResult? Error);

    public static async Task<Received> ReadAsync(HttpContext context, JobService jobs)
    {
        var limit = jobs.Options.MaxUploadBytes;
        if (context.Request.ContentLength > limit + (64 * 1024))
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"the upload exceeds the limit of {limit} bytes");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + (64 * 1024);
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "submit a multipart/form-data body with the recording in the 'audio' field");
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Refuse(StatusCodes.Status400BadRequest, "malformed multipart body: no boundary");
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? path = null;
        string? fileName = null;
        string? contentType = null;
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = limit };
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(context.RequestAborted)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } name)
                {
                    return Refuse(StatusCodes.Status400BadRequest, "malformed multipart body: a part has no Content-Disposition name");
                }

                name = HeaderUtilities.RemoveQuotes(name).Value!;
                if (name == "audio" && disposition.IsFileDisposition())
                {
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileName.HasValue ? disposition.FileName : disposition.FileNameStar).Value;
                    contentType = section.ContentType;
                    path = jobs.Directory.NewTempFile();
                    await using var file = File.Create(path);
                    await section.Body.CopyToAsync(file, context.RequestAborted);
                    if (file.Length > limit)
                    {
                        return Refuse(StatusCodes.Status413PayloadTooLarge, $"the upload exceeds the limit of {limit} bytes", path);
                    }
                }
                else
                {
                    using var text = new StreamReader(section.Body);
                    var value = await text.ReadToEndAsync(context.RequestAborted);
                    if (value.Length > MaxFieldBytes)
                    {
                        return Refuse(StatusCodes.Status400BadRequest, $"field '{name}' is too long", path);
                    }

                    fields[name] = value;
                }
            }
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"the upload exceeds the limit of {limit} bytes", path);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"the upload exceeds the limit of {limit} bytes", path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return Refuse(StatusCodes.Status400BadRequest, "malformed multipart body: " + ex.Message, path);
        }

        if (path is null)
        {
            return Refuse(StatusCodes.Status400BadRequest, "the 'audio' file field is missing");
        }

        if (new FileInfo(path).Length == 0)
        {
            return Refuse(StatusCodes.Status422UnprocessableEntity, "the uploaded file is empty", path);
        }

        var submission = Options(fields, fileName, contentType, out var error);
        return error is null ? new Received(submission, path, null) : Refuse(StatusCodes.Status422UnprocessableEntity, error, path);
    }

    private static JobSubmission Options(Dictionary<string, string> fields, string? fileName, string? contentType, out string? error)
    {
        error = null;
        var priority = 0;
        if (fields.TryGetValue("priority", out var p) && !int.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out priority))
        {
            priority = p.ToLowerInvariant() switch { "high" => 1, "normal" => 0, "low" => -1, _ => int.MinValue };
            if (priority == int.MinValue)
            {
                error = $"priority must be an integer or high|normal|low (was '{p}')";
            }
        }

        var formats = fields.TryGetValue("output_format", out var f)
            ? f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.ToLowerInvariant()).ToArray()
            : ["json"];
        if (formats.FirstOrDefault(x => !TranscriptFormatNames.Contains(x)) is { } bad)
        {
            error ??= $"output_format must be srt, vtt, txt or json (was '{bad}')";
        }

        Dictionary<string, int>? hotwords = null;
        if (fields.TryGetValue("hotwords", out var h) && h.Trim().Length > 0)
        {
            // "word" or "word weight" separated by spaces, commas or new lines (the microservice's form field).
            hotwords = [];
            foreach (var entry in h.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                hotwords[parts[0]] = parts.Length > 1 && int.TryParse(parts[^1], System.Globalization.CultureInfo.InvariantCulture, out var w) ? w : 20;
            }
        }

        return new JobSubmission
        {
            FileName = Path.GetFileName(string.IsNullOrWhiteSpace(fileName) ? "upload" : fileName),
            ContentType = contentType,
            Language = fields.GetValueOrDefault("language"),
            Hotwords = hotwords,
            Priority = Math.Clamp(priority, -100, 100),
            CallbackUrl = fields.GetValueOrDefault("callback_url") is { Length: > 0 } c ? c : null,
            Formats = formats,
        };
    }

    private static readonly HashSet<string> TranscriptFormatNames = [.. Gateway.Core.Jobs.Formats.TranscriptFormat.All];

    private static Received Refuse(int status, string detail, string? path = null)
    {
        if (path is not null)
        {
            File.Delete(path);
        }

        return new Received(null, null, JobResults.Problem(status, detail));
    }
}
