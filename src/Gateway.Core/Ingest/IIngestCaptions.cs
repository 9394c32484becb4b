namespace Gateway.Core.Ingest;

/// <summary>An ingest's rolling subtitle files.</summary>
public interface IIngestCaptions
{
    string Vtt();

    string Srt();
}
