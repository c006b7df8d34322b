using Switchyard.Core.Route;
using YamlDotNet.Core;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// Turns whatever the YAML parser threw into one located <see cref="ConfigError"/>: a file with a syntax error is
/// an operator's typo, never a stack trace (issue 13). YamlDotNet reports most errors as <see cref="YamlException"/>
/// with a position, some with none (a tab used as indentation says line 1), and on an unclosed flow collection
/// followed by more lines its scanner throws <see cref="InvalidOperationException"/>; the scanner's position is
/// then used, and an unclosed <c>[</c> or <c>{</c> before it is named with its own line and column.
/// </summary>
internal static class YamlSyntax
{
    public static ConfigError Error(string file, string text, Exception exception, Mark scannerPosition)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(exception);
        var where = exception is YamlException yaml && yaml.Start.Index > 0 ? yaml.Start : scannerPosition;
        var line = (int)Math.Max(1, where.Line);
        var column = (int)Math.Max(1, where.Column);
        if (UnclosedFlow(text, (int)Math.Min(where.Index, text.Length)) is { } open)
        {
            var closer = open.Bracket == '[' ? ']' : '}';
            return new ConfigError(file, open.Line, open.Column, "(syntax)",
                $"'{open.Bracket}' is not closed by '{closer}' (the parser stopped at line {line}, column {column})");
        }

        var reason = exception is YamlException ? exception.InnerException?.Message ?? exception.Message : "invalid YAML here";
        return new ConfigError(file, line, column, "(syntax)", reason);
    }

    /// <summary>
    /// The innermost <c>[</c> or <c>{</c> still open at <paramref name="end"/>, ignoring quoted text and comments; null
    /// when none is. Approximate YAML (a plain scalar may hold a bracket), good enough to point at the likely typo.
    /// </summary>
    internal static (char Bracket, int Line, int Column)? UnclosedFlow(string text, int end)
    {
        var open = new Stack<(char Bracket, int Line, int Column)>();
        var line = 1;
        var column = 0;
        var quote = '\0';
        var comment = false;
        for (var i = 0; i < end; i++)
        {
            var c = text[i];
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                comment = false;
                continue;
            }

            if (comment)
            {
                continue;
            }

            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '#' when i == 0 || char.IsWhiteSpace(text[i - 1]):
                    comment = true;
                    break;
                case '\'' or '"' when i == 0 || text[i - 1] is ' ' or '\t' or '[' or '{' or ',' or ':' or '\n':
                    quote = c;
                    break;
                case '[' or '{' when open.Count > 0 || i == 0 || text[i - 1] is ' ' or '\t' or ':' or '-' or '\n':
                    open.Push((c, line, column));
                    break;
                case ']' or '}' when open.Count > 0:
                    open.Pop();
                    break;
            }
        }

        return open.Count > 0 ? open.Peek() : null;
    }
}
