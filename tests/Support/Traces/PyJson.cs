using System.Globalization;
using System.Text;
using Cm.Pure.Traces;

namespace Cm.Tests.Traces;

/// <summary>
/// Python's <c>json.dumps(obj, separators=(",", ":"))</c> over ordered key/value lists, written
/// independently of Cm's serializer: what docs/python/record_diffusers.py writes, byte for byte.
/// </summary>
public static class PyJson
{
    public sealed class Dict : List<(string Key, object? Value)>
    {
        public void Add(string key, object? value) => Add((key, value));
    }

    public static string Dumps(object? v) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        double d => DecimalText.Repr(d),
        Dict o => "{" + string.Join(",", o.Select(p => Dumps(p.Key) + ":" + Dumps(p.Value))) + "}",
        System.Collections.IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Dumps)) + "]",
        _ => throw new ArgumentException(v.GetType().Name),
    };

    public static byte[] Bytes(Dict o) => Encoding.UTF8.GetBytes(Dumps(o));
}
