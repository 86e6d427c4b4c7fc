using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CitySense.Api.Ngsi;

/// <summary>
/// The subset of NGSI-LD's q language CitySense answers: terms "attr op value" joined by ';' (and), op one of ==, !=, &gt;,
/// &gt;=, &lt;, &lt;=; value a number, a "quoted" or bare string. attr is an attribute name (a Property's value or a
/// Relationship's object). No '|' (or), parentheses, ranges, lists or attribute paths: those are a 400.
/// </summary>
public sealed class NgsiQuery
{
    private static readonly string[] Operators = ["==", "!=", ">=", "<=", ">", "<"];

    private readonly List<(string Attribute, string Operator, string Text, double? Number)> _terms;

    private NgsiQuery(List<(string, string, string, double?)> terms) => _terms = terms;

    public int Terms => _terms.Count;

    public static bool TryParse(string? q, out NgsiQuery query, out string error)
    {
        query = new NgsiQuery([]);
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(q))
        {
            return true;
        }

        if (q.IndexOfAny(['|', '(', ')']) >= 0)
        {
            error = "q supports only terms joined by ';' (and): no '|' or parentheses.";
            return false;
        }

        var terms = new List<(string, string, string, double?)>();
        foreach (var term in q.Split(';'))
        {
            var at = -1;
            var op = string.Empty;
            foreach (var candidate in Operators)
            {
                var i = term.IndexOf(candidate, StringComparison.Ordinal);
                if (i > 0 && (at < 0 || i < at || (i == at && candidate.Length > op.Length)))
                {
                    at = i;
                    op = candidate;
                }
            }

            if (at < 0)
            {
                error = $"q term '{term}' has no operator (==, !=, >, >=, <, <=).";
                return false;
            }

            var attribute = term[..at].Trim();
            var value = term[(at + op.Length)..].Trim();
            if (!IsAttributeName(attribute) || value.Length == 0 || value[0] is '=' or '<' or '>' or '!')
            {
                error = $"q term '{term}' must be attribute{op}value, with an attribute name of letters, digits and '_'.";
                return false;
            }

            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                terms.Add((attribute, op, value[1..^1], null));
            }
            else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                terms.Add((attribute, op, value, number));
            }
            else if (value.Contains("..", StringComparison.Ordinal) || value.Contains(','))
            {
                error = $"q term '{term}': ranges and lists are not supported.";
                return false;
            }
            else
            {
                terms.Add((attribute, op, value, null));
            }
        }

        query = new NgsiQuery(terms);
        return true;
    }

    /// <summary>Whether the entity (normalized form) satisfies every term; an entity without the attribute does not.</summary>
    public bool Matches(JsonObject entity)
    {
        foreach (var (attribute, op, text, number) in _terms)
        {
            if (entity[attribute] is not JsonObject attr || (attr["value"] ?? attr["object"]) is not { } value)
            {
                return false;
            }

            int? comparison = value.GetValueKind() switch
            {
                JsonValueKind.Number when number is { } n => value.GetValue<double>().CompareTo(n),
                JsonValueKind.String => string.CompareOrdinal(value.GetValue<string>(), text),
                JsonValueKind.True or JsonValueKind.False when bool.TryParse(text, out var b) => value.GetValue<bool>().CompareTo(b),
                JsonValueKind.Object when value["@value"] is JsonValue v && v.GetValueKind() == JsonValueKind.String => string.CompareOrdinal(v.GetValue<string>(), text),
                _ => null,
            };
            var ok = comparison is { } c && op switch
            {
                "==" => c == 0,
                "!=" => c != 0,
                ">" => c > 0,
                ">=" => c >= 0,
                "<" => c < 0,
                _ => c <= 0,
            };
            if (!ok && !(op == "!=" && comparison is null))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAttributeName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
