using System.Collections.Frozen;

namespace Switchyard.Core.Model;

/// <summary>What a pinned request with restricted data gets when no allowed deployment can take it.</summary>
public enum RestrictedAction
{
    /// <summary>403 that names the entity types found (the default).</summary>
    Refuse,

    /// <summary>Restricted spans are replaced by placeholders (<c>&lt;CREDIT_CARD_1&gt;</c>) before sending and restored in the reply.</summary>
    Redact,
}

/// <summary>Parses the configuration's names for actions.</summary>
public static class RestrictedActionNames
{
    public static readonly FrozenSet<string> All = new[] { "refuse", "redact" }.ToFrozenSet(StringComparer.Ordinal);

    public static RestrictedAction Parse(string name) => name == "redact" ? RestrictedAction.Redact : RestrictedAction.Refuse;
}
