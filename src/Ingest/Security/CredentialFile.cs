using System.Text.Encodings.Web;
using System.Text.Json;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;

namespace CitySense.Ingest.Security;

/// <summary>
/// The credentials file: one JSON object per line, <c>{"user":"w-1","scope":"city/d1/c1/water/w-1","secret":"pbkdf2-sha256$..."}</c>
/// (plus <c>"role":"service"</c> for a trusted client whose scope is a topic filter). Blank lines and lines starting with
/// '#' are ignored. <c>dotnet run --project src/Silo -- hash-secret</c> writes such lines.
/// </summary>
public static class CredentialFile
{
    /// <summary>Every credential, or every problem found (with its line number); never both.</summary>
    public static (IReadOnlyDictionary<string, DeviceCredential> Credentials, IReadOnlyList<string> Errors) Parse(IEnumerable<string> lines)
    {
        var credentials = new Dictionary<string, DeviceCredential>(StringComparer.Ordinal);
        var errors = new List<string>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var problem = TryParseLine(line, out var credential);
            if (problem is not null)
            {
                errors.Add($"line {number}: {problem}");
            }
            else if (!credentials.TryAdd(credential!.User, credential))
            {
                errors.Add($"line {number}: user '{credential.User}' appears twice");
            }
        }

        return errors.Count > 0 ? (new Dictionary<string, DeviceCredential>(), errors) : (credentials, errors);
    }

    public static (IReadOnlyDictionary<string, DeviceCredential> Credentials, IReadOnlyList<string> Errors) Load(string path)
    {
        try
        {
            return Parse(File.ReadAllLines(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (new Dictionary<string, DeviceCredential>(), [$"cannot read {path}: {ex.Message}"]);
        }
    }

    // The line goes to a file, not into HTML: '+' in base64 stays readable instead of becoming \u002B.
    private static readonly JsonSerializerOptions FormatOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One line of the file, as <c>hash-secret</c> prints it.</summary>
    public static string Format(DeviceCredential credential)
    {
        var entry = new Dictionary<string, string> { ["user"] = credential.User };
        if (credential.Role == CredentialRole.Service)
        {
            entry["role"] = "service";
        }

        entry["scope"] = credential.Scope;
        entry["secret"] = credential.Secret.ToString();
        return JsonSerializer.Serialize(entry, FormatOptions);
    }

    /// <summary>Null when the entry is sound; otherwise what is wrong with it (never the secret).</summary>
    public static string? Validate(string user, CredentialRole role, string scope)
    {
        if (!Ids.IsValid(user))
        {
            return $"user '{Shorten(user)}' must match [A-Za-z0-9_.-]{{1,64}} (a device or gateway id)";
        }

        if (role == CredentialRole.Service)
        {
            return TopicFilters.IsValidFilter(scope) ? null : $"scope '{Shorten(scope)}' of service '{user}' is not a valid MQTT topic filter";
        }

        if (TopicParser.TryParse(scope, out var parts) != RejectionReason.None)
        {
            return $"scope '{Shorten(scope)}' of '{user}' must be its telemetry topic city/{{district}}/{{community}}/{{kind}}/{user}";
        }

        return scope.AsSpan()[parts.Leaf].SequenceEqual(user)
            ? null
            : $"scope '{scope}' of '{user}' must end with the user name: a device publishes only to its own topic";
    }

    private static string? TryParseLine(string line, out DeviceCredential? credential)
    {
        credential = null;
        string? user = null, scope = null, secret = null, role = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "each line is one JSON object";
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return $"\"{property.Name}\" must be a string";
                }

                var value = property.Value.GetString();
                switch (property.Name)
                {
                    case "user": user = value; break;
                    case "scope": scope = value; break;
                    case "secret": secret = value; break;
                    case "role": role = value; break;
                    default: return $"unknown property \"{property.Name}\" (expected user, scope, secret, role)";
                }
            }
        }
        catch (JsonException)
        {
            return "not a JSON object";
        }

        if (user is null || scope is null || secret is null)
        {
            return "\"user\", \"scope\" and \"secret\" are required";
        }

        CredentialRole parsedRole;
        switch (role)
        {
            case null or "device" or "gateway": parsedRole = CredentialRole.Device; break;
            case "service": parsedRole = CredentialRole.Service; break;
            default: return $"role '{Shorten(role)}' is not device or service";
        }

        if (Validate(user, parsedRole, scope) is { } problem)
        {
            return problem;
        }

        if (!SecretHash.TryParse(secret, out var hash))
        {
            return $"the secret of '{user}' is not a {SecretHash.Scheme}$iterations$salt$hash value (make one with hash-secret)";
        }

        credential = new DeviceCredential(user, parsedRole, scope, hash!);
        return null;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");
}
