using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Rooms;

public sealed class RoomOptionsValidator : IValidateOptions<RoomOptions>
{
    public ValidateOptionsResult Validate(string? name, RoomOptions options)
    {
        var errors = new OptionsErrors(RoomOptions.Section);
        errors.Range(nameof(options.MaxRooms), options.MaxRooms, 1, 100_000);
        errors.Range(nameof(options.MaxParticipants), options.MaxParticipants, 1, 1000);
        errors.Range(nameof(options.MaxViewers), options.MaxViewers, 1, 100_000);
        errors.Range(nameof(options.IdleExpiry), options.IdleExpiry, TimeSpan.Zero, TimeSpan.FromDays(7));
        errors.Range(nameof(options.MaxRetention), options.MaxRetention, TimeSpan.Zero, TimeSpan.FromDays(7));
        errors.Range(nameof(options.ViewerQueueCapacity), options.ViewerQueueCapacity, 8, 65_536);
        errors.Range(nameof(options.HistoryCapacity), options.HistoryCapacity, 100, 1_000_000);
        errors.Range(nameof(options.MaxSpeakerNameLength), options.MaxSpeakerNameLength, 1, 128);
        errors.Range(nameof(options.CloseGrace), options.CloseGrace, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        errors.Range(nameof(options.HeartbeatInterval), options.HeartbeatInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        errors.Require(
            options.MaxRetention >= options.IdleExpiry,
            nameof(options.MaxRetention),
            $"must be at least Rooms:IdleExpiry ({options.IdleExpiry:c}) (was {options.MaxRetention:c}).");
        return errors.Result();
    }
}
