using FASTER.core;

namespace Gateway.Fast.Storage;

/// <summary>Writes FASTER's string keys and values to the object log as length-prefixed UTF-8.</summary>
internal sealed class Utf8StringSerializer : BinaryObjectSerializer<string>
{
    public override void Serialize(ref string obj) => writer.Write(obj);

    public override void Deserialize(out string obj) => obj = reader.ReadString();
}
