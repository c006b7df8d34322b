using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary><c>privacy:</c> and a key's <c>privacy</c>: the scanner's entity types and what each data class does.</summary>
internal static class PrivacyConfigReader
{
    public static readonly string[] _dataClasses = ["public", "internal", "confidential", "restricted"];

    public static PrivacyConfig ReadPrivacy(YamlNodeReader? r)
    {
        if (r is null)
        {
            return new PrivacyConfig();
        }

        var classes = r.StringMap("classes") ?? new Dictionary<string, string>();
        foreach (var (type, value) in classes)
        {
            if (!Model.PiiTypeNames.TryParse(type, out _))
            {
                r.Error("classes", $"unknown entity type '{type}' (known: {string.Join(", ", Model.PiiTypeNames.BuiltIn.Select(Model.PiiTypeNames.Name))})");
            }

            if (!_dataClasses.Contains(value))
            {
                r.Error("classes", $"'{type}' must map to public, internal, confidential or restricted, not '{value}'");
            }
        }

        var patterns = new List<CustomDetectorConfig>();
        foreach (var p in r.MappingList("patterns"))
        {
            var name = p.String("name", required: true);
            var regex = p.String("regex");
            var keywords = p.StringList("keywords");
            var dataClass = p.String("class") ?? "confidential";
            if ((regex is null) == (keywords is null))
            {
                p.Error(p.Node, p.Path, "a pattern needs exactly one of regex or keywords");
            }

            if (!_dataClasses.Contains(dataClass))
            {
                p.Error("class", $"must be public, internal, confidential or restricted, not '{dataClass}'");
            }

            if (regex is not null)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(regex, System.Text.RegularExpressions.RegexOptions.NonBacktracking);
                }
                catch (ArgumentException ex)
                {
                    p.Error("regex", "is not a valid regular expression for the non-backtracking engine: " + ex.Message);
                }
            }

            if (name is not null && (name.Length == 0 || !name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')))
            {
                p.Error("name", "must be upper-case letters, digits and underscores (it is reported as an entity type)");
            }

            p.RejectUnknownKeys();
            if (name is not null)
            {
                patterns.Add(new CustomDetectorConfig(name, regex, keywords, dataClass));
            }
        }

        var config = new PrivacyConfig
        {
            Classes = classes,
            Patterns = patterns,
            OnRestricted = ReadAction(r) ?? "refuse",
        };
        r.RejectUnknownKeys();
        return config;
    }

    public static string? ReadKeyPrivacy(YamlNodeReader key)
    {
        if (key.Mapping("privacy") is not { } r)
        {
            return null;
        }

        var action = ReadAction(r);
        r.RejectUnknownKeys();
        return action;
    }

    public static string? ReadAction(YamlNodeReader r)
    {
        var action = r.String("on_restricted");
        if (action is not null && !Model.RestrictedActionNames.All.Contains(action))
        {
            r.Error("on_restricted", $"must be refuse or redact, not '{action}'");
            return null;
        }

        return action;
    }
}
