using System.Text;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Hostile;

/// <summary>
/// Inputs an attacker or a broken device would send, each named for what it tries. Payloads are written with single
/// quotes (see <see cref="JsonPayload"/>) unless their bytes matter.
/// </summary>
internal static class HostileCorpus
{
    private const string Device = DecoderHarness.WaterTopic;
    private const string Gateway = DecoderHarness.GatewayTopic;
    private const string Valid = "{'ts':1740829800000,'total':1}";

    public static IEnumerable<(string Name, string Topic, byte[] Payload)> Cases()
    {
        // Topics.
        yield return ("NUL in the device id", "city/north/c1/water/w1\0", Json(Valid));
        yield return ("NUL between levels", "city/north/c1/water\0/w1", Json(Valid));
        yield return ("single-level wildcard", "city/+/c1/water/w1", Json(Valid));
        yield return ("multi-level wildcard", "city/#", Json(Valid));
        yield return ("wildcard as the device", "city/north/c1/water/#", Json(Valid));
        yield return ("trailing slash", "city/north/c1/water/w1/", Json(Valid));
        yield return ("empty level", "city//c1/water/w1", Json(Valid));
        yield return ("extra level", "city/north/c1/water/w1/x", Json(Valid));
        yield return ("only the root", "city", Json(Valid));
        yield return ("root and slash", "city/", Json(Valid));
        yield return ("empty topic", "", Json(Valid));
        yield return ("id of 65 characters", "city/north/c1/water/" + new string('w', 65), Json(Valid));
        yield return ("topic of 65535 characters", "city/north/c1/water/" + new string('w', 65_535 - 20), Json(Valid));
        yield return ("non-ASCII letter in an id", "city/north/c1/water/w\u00e9", Json(Valid));
        yield return ("right-to-left override in an id", "city/north/c1/water/w\u202e1", Json(Valid));
        yield return ("path traversal in an id", "city/north/../water/w1", Json(Valid));
        yield return ("space in an id", "city/north/c1/water/w 1", Json(Valid));
        yield return ("uppercase root", "CITY/north/c1/water/w1", Json(Valid));
        yield return ("system topic", "$SYS/broker/clients", Json(Valid));

        // Whole payloads.
        yield return ("empty payload", Device, []);
        yield return ("whitespace only", Device, Json("   \r\n\t "));
        yield return ("JSON null", Device, Json("null"));
        yield return ("bare number", Device, Json("1740829800000"));
        yield return ("array on a device topic", Device, Json($"[{Valid}]"));
        yield return ("object on a gateway topic", Gateway, Json(Valid));
        yield return ("empty object", Device, Json("{}"));
        yield return ("empty gateway array", Gateway, Json("[]"));
        yield return ("byte-order mark", Device, [0xEF, 0xBB, 0xBF, .. Json(Valid)]);
        yield return ("UTF-16 byte-order mark", Device, [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Valid.Replace('\'', '"'))]);
        yield return ("two objects", Device, Json(Valid + Valid));
        yield return ("trailing garbage", Device, Json(Valid + " x"));
        yield return ("trailing comma", Device, Json("{'ts':1740829800000,'total':1,}"));
        yield return ("comment", Device, Json("{'ts':1740829800000, /* c */ 'total':1}"));
        yield return ("single quotes (real ones)", Device, Encoding.UTF8.GetBytes("{'ts':1740829800000,'total':1}"));
        yield return ("unterminated string", Device, Json("{'ts':1740829800000,'tot"));
        yield return ("unterminated object", Device, Json("{'ts':1740829800000,'total':1"));
        yield return ("truncated after a colon", Device, Json("{'ts':"));
        yield return ("lone quote", Device, Json("'"));
        yield return ("truncated literal", Device, Json("n"));
        yield return ("truncated literal in a gateway", Gateway, Json("[tru"));
        yield return ("payload over the size limit", Device, Json("{'ts':1740829800000,'total':1,'pad':" + new string('1', 300_000) + "}"));

        // Nesting.
        yield return ("object nested 5 deep", Device, Json("{'ts':1740829800000,'m':{'a':{'b':{'c':{'d':1}}}}}"));
        yield return ("arrays nested 10 000 deep", Device, Json(new string('[', 10_000) + new string(']', 10_000)));
        yield return ("objects nested 10 000 deep, unclosed", Device, Json(string.Concat(Enumerable.Repeat("{'a':", 10_000))));
        yield return ("gateway element holding arrays", Gateway, Json("[[[[1]]]]"));

        // Numbers.
        yield return ("metric beyond double", Device, Json("{'ts':1740829800000,'total':1e400}"));
        yield return ("metric below -double", Device, Json("{'ts':1740829800000,'total':-1e400}"));
        yield return ("metric of 400 digits", Device, Json("{'ts':1740829800000,'total':" + new string('9', 400) + "}"));
        yield return ("tiny metric", Device, Json("{'ts':1740829800000,'total':1e-400}"));
        yield return ("NaN literal", Device, Json("{'ts':1740829800000,'total':NaN}"));
        yield return ("Infinity literal", Device, Json("{'ts':1740829800000,'total':Infinity}"));
        yield return ("hexadecimal", Device, Json("{'ts':1740829800000,'total':0x10}"));
        yield return ("leading zero", Device, Json("{'ts':1740829800000,'total':01}"));
        yield return ("leading plus", Device, Json("{'ts':1740829800000,'total':+1}"));
        yield return ("bare minus", Device, Json("{'ts':1740829800000,'total':-}"));
        yield return ("fraction without digits", Device, Json("{'ts':1740829800000,'total':1.}"));
        yield return ("ts past long", Device, Json("{'ts':9223372036854775808,'total':1}"));
        yield return ("ts before long", Device, Json("{'ts':-9223372036854775809,'total':1}"));
        yield return ("ts in exponent form", Device, Json("{'ts':1.7408298e12,'total':1}"));
        yield return ("ts of 1e30", Device, Json("{'ts':1e30,'total':1}"));
        yield return ("ts negative", Device, Json("{'ts':-1,'total':1}"));
        yield return ("seq negative", Device, Json("{'ts':1740829800000,'seq':-1,'total':1}"));
        yield return ("seq past ulong", Device, Json("{'ts':1740829800000,'seq':18446744073709551616,'total':1}"));

        // Keys.
        yield return ("duplicate ts", Device, Json("{'ts':1740829800000,'ts':1740829800001,'total':1}"));
        yield return ("duplicate metric", Device, Json("{'ts':1740829800000,'total':1,'total':2}"));
        yield return ("duplicate metric through an escape", Device, Json("{'ts':1740829800000,'total':1,'tot\\u0061l':2}"));
        yield return ("duplicate ts through an escape", Device, Json("{'ts':1740829800000,'t\\u0073':1,'total':1}"));
        yield return ("key of 10 000 characters", Device, Json("{'ts':1740829800000,'" + new string('k', 10_000) + "':1}"));
        yield return ("empty key", Device, Json("{'ts':1740829800000,'':1}"));
        yield return ("NUL in a key", Device, Json("{'ts':1740829800000,'to\\u0000tal':1}"));
        yield return ("raw control character in a key", Device, Json("{'ts':1740829800000,'to\ttal':1}"));
        yield return ("lone surrogate escape in a key", Device, Json("{'ts':1740829800000,'\\ud800':1}"));
        yield return ("33 metrics", Device, Json("{'ts':1740829800000," + string.Join(',', Enumerable.Range(0, 33).Select(i => $"'m{i}':{i}")) + "}"));
        yield return ("no metric at all", Device, Json("{'ts':1740829800000,'seq':1}"));
        yield return ("non-numeric metrics", Device, Json("{'ts':1740829800000,'a':'1','b':true,'c':null,'d':[1],'e':{}}"));

        // Encoding.
        yield return ("invalid UTF-8 in a key", Device, [.. Json("{'ts':1740829800000,'"), 0xC3, 0x28, .. Json("':1}")]);
        yield return ("overlong slash in a device id", Gateway, [.. Json("[{'kind':'water','device':'w"), 0xC0, 0xAF, .. Json("1','ts':1740829800000,'total':1}]")]);
        yield return ("encoded surrogate half", Device, [.. Json("{'ts':1740829800000,'"), 0xED, 0xA0, 0x80, .. Json("':1}")]);
        yield return ("truncated multi-byte character", Device, [.. Json("{'ts':1740829800000,'"), 0xE2, 0x82, .. Json("':1}")]);
        yield return ("byte 0xFF between tokens", Device, [.. Json("{'ts':1740829800000,"), 0xFF, .. Json("'total':1}")]);
        yield return ("raw NUL byte", Device, [.. Json("{'ts':1740829800000,"), 0x00, .. Json("'total':1}")]);

        // Gateways.
        yield return ("1001 readings", Gateway, Json("[" + string.Join(',', Enumerable.Repeat("{'device':'w1','kind':'water','ts':1740829800000,'total':1}", 1001)) + "]"));
        yield return ("kind gateway", Gateway, Json("[{'device':'w1','kind':'gateway','ts':1740829800000,'total':1}]"));
        yield return ("device as a number", Gateway, Json("[{'device':1,'kind':'water','ts':1740829800000,'total':1}]"));
        yield return ("device id with a slash", Gateway, Json("[{'device':'w1/x','kind':'water','ts':1740829800000,'total':1}]"));
        yield return ("device id with a wildcard", Gateway, Json("[{'device':'#','kind':'water','ts':1740829800000,'total':1}]"));
        yield return ("device id of 10 000 escapes", Gateway, Json("[{'device':'" + string.Concat(Enumerable.Repeat("\\u0041", 10_000)) + "','kind':'water','ts':1740829800000,'total':1}]"));
        yield return ("duplicate device", Gateway, Json("[{'device':'w1','device':'w2','kind':'water','ts':1740829800000,'total':1}]"));
        yield return ("valid then broken", Gateway, Json("[{'device':'w1','kind':'water','ts':1740829800000,'total':1},{'device':"));
        yield return ("mixed elements", Gateway, Json("[1,'x',null,[],{},{'device':'w1','kind':'water','ts':1740829800000,'total':1}]"));
    }

    private static byte[] Json(string singleQuoted) => JsonPayload.Bytes(singleQuoted);
}
