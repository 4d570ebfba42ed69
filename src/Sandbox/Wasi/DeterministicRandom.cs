using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gstd.Sandbox.Wasi;

/// <summary>
/// The bytes <c>random_get</c> returns: SHA-256 of (seed, block counter), block after block. The same seed
/// gives the same stream on every machine, which is what lets replicas and re-executions agree.
/// </summary>
public sealed class DeterministicRandom(ReadOnlySpan<byte> seed)
{
    private readonly byte[] _seed = seed.ToArray();
    private readonly byte[] _block = new byte[32];
    private ulong _counter;
    private int _used = 32;

    public void Fill(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_used == _block.Length)
            {
                Refill();
            }

            var count = Math.Min(destination.Length, _block.Length - _used);
            _block.AsSpan(_used, count).CopyTo(destination);
            _used += count;
            destination = destination[count..];
        }
    }

    private void Refill()
    {
        var material = new byte[_seed.Length + 8];
        _seed.CopyTo(material, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(material.AsSpan(_seed.Length), _counter++);
        SHA256.HashData(material, _block);
        _used = 0;
    }
}
