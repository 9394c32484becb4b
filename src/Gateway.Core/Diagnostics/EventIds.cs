namespace Gateway.Core.Diagnostics;

/// <summary>Every log event id of the gateway, in one place so they never collide.</summary>
public static class EventIds
{
    // 1xx admission and sessions
    public const int SessionStarted = 100;
    public const int SessionEnded = 101;
    public const int ClientError = 102;
    public const int ClientAborted = 103;
    public const int AudioOverflow = 104;
    public const int DrainTimedOut = 105;
    public const int SessionFailed = 106;
    public const int Rejected = 110;
    public const int ProtocolNotDetected = 111;
    public const int ClientGone = 113;
    public const int ShutdownStarted = 112;
    public const int SessionShuttingDown = 107;
    public const int PreStop = 119;
    public const int SessionDetached = 120;
    public const int SessionResumed = 121;
    public const int ResumeWindowEnded = 122;
    public const int ResumeRefused = 123;
    public const int FleetAdmissionDegraded = 124;
    public const int FleetAdmissionRecovered = 125;
    public const int FleetHeartbeatFailed = 126;
    public const int ClientFrameRefused = 130;

    // 2xx host
    public const int ConfigurationInvalid = 200;
    public const int ListeningOn = 201;
    public const int ReadinessChanged = 202;

    // 3xx VAD (see Vad/), 4xxx upstream (Gateway.Upstream's own ids)

    // 5xx dispatch
    public const int SegmentReplayed = 500;
    public const int SegmentFailed = 501;
    public const int DispatcherFailed = 502;

    // 6xx rooms
    public const int RoomOpened = 600;
    public const int RoomExpired = 601;
    public const int ParticipantJoined = 602;
    public const int ParticipantLeft = 603;
    public const int ParticipantRefused = 604;
    public const int ViewerDropped = 605;
    public const int RoomBusFailed = 606;
    public const int RoomBusRecovered = 607;

    // 7xx file jobs
    public const int JobSegmentReplayed = 700;
    public const int JobStarted = 701;
    public const int JobFinished = 702;
    public const int JobFailed = 703;
    public const int JobWorkerFailed = 704;
    public const int JobsCleanedUp = 705;
    public const int JobCallbackFailed = 706;
    public const int JobStopped = 707;
    public const int JobStoreUnavailable = 708;
    public const int JobClaimingStopped = 709;

    // 8xx authentication
    public const int AuthRefused = 800;
    public const int AuthOnByBind = 801;
    public const int KeyRevoked = 802;
    public const int SessionKeyRevoked = 803;

    // 9xx ingests
    public const int IngestStarted = 900;
    public const int IngestRunning = 901;
    public const int IngestReconnecting = 902;
    public const int IngestFailed = 903;
    public const int IngestStopped = 904;
    public const int IngestSessionReplaced = 905;
    public const int IngestStderr = 906;
    public const int IngestRefused = 907;
}
