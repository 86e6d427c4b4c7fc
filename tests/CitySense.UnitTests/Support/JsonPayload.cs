using System.Buffers;
using System.Text;

namespace CitySense.UnitTests.Support;

/// <summary>
/// Test payloads are written with single quotes so they read like JSON inside C# strings;
/// none of them needs a literal apostrophe.
/// </summary>
internal static class JsonPayload
{
    public static byte[] Bytes(string singleQuoted) => Encoding.UTF8.GetBytes(singleQuoted.Replace('\'', '"'));

    public static ReadOnlySequence<byte> Sequence(string singleQuoted) => new(Bytes(singleQuoted));
}
