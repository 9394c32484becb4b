using System.Globalization;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Configuration;

/// <summary>
/// Collects every invalid value of one options section so that start-up reports them all at once,
/// each with its full configuration key (for example <c>Admission:MaxClients</c>).
/// </summary>
public sealed class OptionsErrors
{
    private readonly string _section;
    private List<string>? _errors;

    public OptionsErrors(string section) => _section = section;

    /// <summary>The full configuration key of a member of this section.</summary>
    public string Key(string member) => $"{_section}:{member}";

    public void Add(string member, string problem) => (_errors ??= []).Add($"{Key(member)} {problem}");

    public void Range(string member, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Add(member, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max} (was {value})."));
        }
    }

    public void Range(string member, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            Add(member, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max} (was {value})."));
        }
    }

    public void Range(string member, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            Add(member, string.Create(CultureInfo.InvariantCulture, $"must be between {min:c} and {max:c} (was {value:c})."));
        }
    }

    public void Require(bool condition, string member, string problem)
    {
        if (!condition)
        {
            Add(member, problem);
        }
    }

    public ValidateOptionsResult Result() =>
        _errors is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);
}
