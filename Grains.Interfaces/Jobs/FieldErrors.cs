using System.Collections;

namespace Focus.Grains.Jobs;

/// <summary>
/// The validation failures of one request, in the order they were found: field → messages, as the
/// <c>errors</c> member of a 422 problem (CONTRACT §1). Every message starts with its field
/// (<c>nfftSelection: 1000 is invalid, must be ...</c>), so <see cref="Detail"/> reads on its own.
/// Crosses grain calls: the job grain re-validates and returns these.
/// </summary>
[GenerateSerializer, Alias("Focus.FieldErrors")]
public sealed class FieldErrors : IReadOnlyCollection<FieldError>
{
    [Id(0)] private readonly List<FieldError> _errors = [];

    /// <summary>Number of messages (a field may carry several).</summary>
    public int Count => _errors.Count;

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>The offending fields, each once, in the order first reported.</summary>
    public IReadOnlyList<string> Fields => _errors.Select(e => e.Field).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The messages for <paramref name="field"/>; empty when it has none.</summary>
    public IReadOnlyList<string> this[string field] =>
        _errors.Where(e => e.Field == field).Select(e => e.Message).ToList();

    /// <summary>All messages joined with "; ": the problem's <c>detail</c> (and <c>error</c>).</summary>
    public string Detail => string.Join("; ", _errors.Select(e => e.Message));

    public bool Contains(string field) => _errors.Exists(e => e.Field == field);

    /// <summary>Adds a finished message; it should start with <c>field: </c>.</summary>
    public void Add(string field, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(message);
        _errors.Add(new FieldError { Field = field, Message = message });
    }

    /// <summary><c>field: shown is invalid, must be rule</c> — the contract's wording.</summary>
    public void AddInvalid(string field, string shown, string rule) =>
        Add(field, $"{field}: {shown} is invalid, must be {rule}");

    /// <summary><c>field: is required, must be rule</c>.</summary>
    public void AddRequired(string field, string rule) =>
        Add(field, $"{field}: is required, must be {rule}");

    public void AddRange(IEnumerable<FieldError> errors)
    {
        foreach (var error in errors) Add(error.Field, error.Message);
    }

    /// <summary>Field → messages, for ASP.NET's <c>HttpValidationProblemDetails(IDictionary&lt;string, string[]&gt;)</c>.</summary>
    public Dictionary<string, string[]> ToDictionary()
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in _errors.GroupBy(e => e.Field, StringComparer.Ordinal))
            map[group.Key] = group.Select(e => e.Message).ToArray();
        return map;
    }

    public IEnumerator<FieldError> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Detail;
}
