using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CitySense.Api.Ngsi;

/// <summary>
/// The NGSI-LD query language (ETSI GS CIM 009, 4.9), the one q of the API: entity queries and subscriptions. Terms
/// <c>attr</c> (exists), <c>attr op value</c> with ==, !=, &gt;, &gt;=, &lt;, &lt;=, ~= (regular expression) and !~=;
/// values that are numbers, "strings", true/false, ranges <c>a..b</c> and lists <c>a,b</c> (for == and !=); <c>;</c>
/// (and), <c>|</c> (or) and parentheses; attribute paths <c>attr.sub</c> (a sub-property). An unquoted word that is no
/// number or boolean is taken as a string (<c>deviceState==online</c>, a relationship's URI): the entities API took them
/// before the languages were one, and clients rely on it. Evaluated against a normalized entity. Pure: the API parses to
/// validate, each silo's subscription matcher parses once per subscription and evaluates per change.
/// </summary>
public sealed class NgsiQuery
{
    // A pattern that takes longer than this on one value does not match: a client's regular expression must not stall the matcher.
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Node _root;

    private NgsiQuery(Node root) => _root = root;

    public static bool TryParse(string text, out NgsiQuery? query, out string error)
    {
        query = null;
        error = string.Empty;
        try
        {
            var parser = new Parser(text);
            var root = parser.ParseOr();
            parser.SkipSpaces();
            if (!parser.AtEnd)
            {
                error = $"q: unexpected '{parser.Rest}' at position {parser.Position}.";
                return false;
            }

            query = new NgsiQuery(root);
            return true;
        }
        catch (FormatException ex)
        {
            error = "q: " + ex.Message;
            return false;
        }
    }

    /// <summary>Whether <paramref name="entity"/> (an NGSI-LD entity in normalized form) satisfies the query.</summary>
    public bool Matches(JsonElement entity) => _root.Eval(entity);

    /// <summary>The same, for an entity built as a node (the entities API): one copy into an element, off the hot path.</summary>
    public bool Matches(JsonObject entity) => _root.Eval(JsonSerializer.SerializeToElement(entity));

    private abstract class Node
    {
        public abstract bool Eval(JsonElement entity);
    }

    private sealed class And(Node left, Node right) : Node
    {
        public override bool Eval(JsonElement entity) => left.Eval(entity) && right.Eval(entity);
    }

    private sealed class Or(Node left, Node right) : Node
    {
        public override bool Eval(JsonElement entity) => left.Eval(entity) || right.Eval(entity);
    }

    private sealed class Term(string[] path, string? op, Value[] values, Regex? pattern) : Node
    {
        public override bool Eval(JsonElement entity)
        {
            if (Resolve(entity, path) is not { } actual)
            {
                return false;
            }

            if (op is null)
            {
                return true;
            }

            return op switch
            {
                "==" => values.Any(v => v.Equal(actual)),
                "!=" => !values.Any(v => v.Equal(actual)),
                "~=" => actual.ValueKind == JsonValueKind.String && SafeMatch(pattern!, actual.GetString()!),
                "!~=" => actual.ValueKind == JsonValueKind.String && !SafeMatch(pattern!, actual.GetString()!),
                _ => values[0].Compare(actual) is { } c && op switch
                {
                    ">" => c > 0,
                    ">=" => c >= 0,
                    "<" => c < 0,
                    _ => c <= 0,
                },
            };
        }

        private static bool SafeMatch(Regex regex, string text)
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        /// <summary>The attribute's value (a property's value, a relationship's object), or a sub-property's.</summary>
        private static JsonElement? Resolve(JsonElement entity, string[] path)
        {
            var current = entity;
            foreach (var name in path)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out var attribute))
                {
                    return null;
                }

                // A multi-attribute (several instances): the first one decides, as for a single instance.
                if (attribute.ValueKind == JsonValueKind.Array)
                {
                    if (attribute.GetArrayLength() == 0)
                    {
                        return null;
                    }

                    attribute = attribute[0];
                }

                current = attribute;
            }

            if (current.ValueKind != JsonValueKind.Object)
            {
                return current;
            }

            if (current.TryGetProperty("value", out var value) || current.TryGetProperty("object", out value))
            {
                // A typed literal (a DateTime property's {"@type": "DateTime", "@value": "..."}) compares by its text.
                return value.ValueKind == JsonValueKind.Object && value.TryGetProperty("@value", out var literal) ? literal : value;
            }

            return current;
        }
    }

    /// <summary>One value of a term: a number, a string (also dates, compared as text: ISO 8601 UTC sorts), a boolean, or a range.</summary>
    private sealed record Value(double? Number, string? Text, bool? Flag, Value? To)
    {
        public bool Equal(JsonElement actual)
        {
            if (To is not null)
            {
                return Compare(actual) is >= 0 && To.Compare(actual) is <= 0;
            }

            return actual.ValueKind switch
            {
                JsonValueKind.Number => Number is { } n && actual.GetDouble() == n,
                JsonValueKind.String => Text is { } t ? string.Equals(actual.GetString(), t, StringComparison.Ordinal)
                    : Number is { } m && double.TryParse(actual.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == m,
                JsonValueKind.True => Flag == true,
                JsonValueKind.False => Flag == false,
                _ => false,
            };
        }

        /// <summary>Sign of actual minus this value, or null when they cannot be compared.</summary>
        public int? Compare(JsonElement actual) => actual.ValueKind switch
        {
            JsonValueKind.Number when Number is { } n => actual.GetDouble().CompareTo(n),
            JsonValueKind.String when Text is { } t => Math.Sign(string.CompareOrdinal(actual.GetString(), t)),
            _ => null,
        };
    }

    private sealed class Parser(string text)
    {
        private static readonly string[] Operators = ["==", "!=", ">=", "<=", "!~=", "~=", ">", "<"];
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public int Position => _pos;

        public string Rest => text[_pos..];

        public void SkipSpaces()
        {
            while (_pos < text.Length && text[_pos] == ' ')
            {
                _pos++;
            }
        }

        public Node ParseOr()
        {
            var left = ParseAnd();
            SkipSpaces();
            while (!AtEnd && text[_pos] == '|')
            {
                _pos++;
                left = new Or(left, ParseAnd());
                SkipSpaces();
            }

            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseUnit();
            SkipSpaces();
            while (!AtEnd && text[_pos] == ';')
            {
                _pos++;
                left = new And(left, ParseUnit());
                SkipSpaces();
            }

            return left;
        }

        private Node ParseUnit()
        {
            SkipSpaces();
            if (!AtEnd && text[_pos] == '(')
            {
                _pos++;
                var inner = ParseOr();
                SkipSpaces();
                if (AtEnd || text[_pos] != ')')
                {
                    throw new FormatException($"missing ')' at position {_pos}.");
                }

                _pos++;
                return inner;
            }

            return ParseTerm();
        }

        private Term ParseTerm()
        {
            var start = _pos;
            while (!AtEnd && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.' or ':' or '/' or '#' or '-'))
            {
                _pos++;
            }

            var attribute = text[start.._pos];
            if (attribute.Length == 0 || attribute.StartsWith('.') || attribute.EndsWith('.') || attribute.Contains("..", StringComparison.Ordinal))
            {
                throw new FormatException($"an attribute name is expected at position {start}.");
            }

            var path = attribute.Split('.');
            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, _pos, o, 0, o.Length) == 0);
            if (op is null)
            {
                return new Term(path, null, [], null);
            }

            _pos += op.Length;
            if (op is "~=" or "!~=")
            {
                var pattern = ParseString() ?? throw new FormatException($"{op} needs a \"quoted\" pattern at position {_pos}.");
                try
                {
                    return new Term(path, op, [], new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout));
                }
                catch (ArgumentException ex)
                {
                    throw new FormatException($"the pattern of {attribute} is not a regular expression: {ex.Message}");
                }
            }

            var values = new List<Value> { ParseValue() };
            if (!AtEnd && text[_pos] == ',' && op is "==" or "!=")
            {
                while (!AtEnd && text[_pos] == ',')
                {
                    _pos++;
                    values.Add(ParseValue());
                }
            }
            else if (string.CompareOrdinal(text, _pos, "..", 0, 2) == 0)
            {
                if (op is not ("==" or "!="))
                {
                    throw new FormatException($"a range goes with == or != only (position {_pos}).");
                }

                _pos += 2;
                values[0] = values[0] with { To = ParseValue() };
            }

            return new Term(path, op, [.. values], null);
        }

        private Value ParseValue()
        {
            if (ParseString() is { } quoted)
            {
                return new Value(null, quoted, null, null);
            }

            var start = _pos;
            while (!AtEnd && text[_pos] is not (';' or '|' or ')' or ',' or ' '))
            {
                if (string.CompareOrdinal(text, _pos, "..", 0, 2) == 0)
                {
                    break;
                }

                _pos++;
            }

            var raw = text[start.._pos];
            if (raw.Length == 0)
            {
                throw new FormatException($"a value is expected at position {start}.");
            }

            if (raw is "true" or "false")
            {
                return new Value(null, null, raw == "true", null);
            }

            if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return new Value(number, null, null, null);
            }

            if (raw.Contains('"', StringComparison.Ordinal) || raw[0] is '=' or '<' or '>' or '!' or '~')
            {
                throw new FormatException($"'{raw}' is neither a number, a \"string\", true/false nor a word (position {start}).");
            }

            // Unquoted dates and times (2026-12-06T08:00:00Z), URIs and words compare as text, like quoted strings.
            return new Value(null, raw, null, null);
        }

        private string? ParseString()
        {
            if (AtEnd || text[_pos] != '"')
            {
                return null;
            }

            var end = text.IndexOf('"', _pos + 1);
            if (end < 0)
            {
                throw new FormatException($"unterminated string at position {_pos}.");
            }

            var value = text[(_pos + 1)..end];
            _pos = end + 1;
            return value;
        }
    }
}
