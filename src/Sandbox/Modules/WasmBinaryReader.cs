using System.Text;

namespace Gstd.Sandbox.Modules;

/// <summary>
/// Reads the import, function, memory and export sections of a WebAssembly binary. Untrusted input: every
/// read is bounds-checked and any malformation is a <see cref="FormatException"/>.
/// </summary>
public static class WasmBinaryReader
{
    private const int MaxNameBytes = 1024;
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    public static WasmModuleInfo Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Header.Length || !bytes[..Header.Length].SequenceEqual(Header))
        {
            throw new FormatException("Not a WebAssembly 1.0 module (bad magic number or version).");
        }

        var imports = new List<WasmImport>();
        var exports = new List<WasmExport>();
        var defined = 0;
        long? memoryMin = null;
        var reader = new Cursor(bytes[Header.Length..]);
        while (!reader.AtEnd)
        {
            var id = reader.Byte();
            var section = new Cursor(reader.Bytes(reader.U32()));
            switch (id)
            {
                case 2:
                    ReadImports(ref section, imports, ref memoryMin);
                    break;
                case 3:
                    defined = section.Count();
                    break;
                case 5:
                    for (var count = section.U32(); count > 0; count--)
                    {
                        memoryMin ??= section.Limits();
                    }

                    break;
                case 7:
                    for (var count = section.U32(); count > 0; count--)
                    {
                        var name = section.Name();
                        var kind = (WasmExternKind)section.Byte();
                        section.U32();
                        exports.Add(new WasmExport(name, kind));
                    }

                    break;
            }
        }

        return new WasmModuleInfo(imports, exports, defined, memoryMin);
    }

    private static void ReadImports(ref Cursor section, List<WasmImport> imports, ref long? memoryMin)
    {
        for (var count = section.U32(); count > 0; count--)
        {
            var module = section.Name();
            var name = section.Name();
            var kind = (WasmExternKind)section.Byte();
            switch (kind)
            {
                case WasmExternKind.Function:
                    section.U32();
                    break;
                case WasmExternKind.Table:
                    section.Byte();
                    section.Limits();
                    break;
                case WasmExternKind.Memory:
                    memoryMin ??= section.Limits();
                    break;
                case WasmExternKind.Global:
                    section.Byte();
                    section.Byte();
                    break;
                case WasmExternKind.Tag:
                    section.Byte();
                    section.U32();
                    break;
                default:
                    throw new FormatException($"Unknown import kind {(byte)kind}.");
            }

            imports.Add(new WasmImport(module, name, kind));
        }
    }

    private ref struct Cursor(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position >= _data.Length;

        public byte Byte()
        {
            if (_position >= _data.Length)
            {
                throw new FormatException("Unexpected end of the module.");
            }

            return _data[_position++];
        }

        public ReadOnlySpan<byte> Bytes(uint length)
        {
            if (length > (uint)(_data.Length - _position))
            {
                throw new FormatException("A section or name runs past the end of the module.");
            }

            var slice = _data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }

        public uint U32() => (uint)Leb(32);

        /// <summary>A count of items, each at least a byte long, so it cannot exceed what is left.</summary>
        public int Count()
        {
            var count = U32();
            return count > (uint)(_data.Length - _position + 1) ? throw new FormatException("A count exceeds the module's size.") : (int)count;
        }

        public string Name()
        {
            var length = U32();
            if (length > MaxNameBytes)
            {
                throw new FormatException("A name in the module is too long.");
            }

            try
            {
                return new UTF8Encoding(false, true).GetString(Bytes(length));
            }
            catch (DecoderFallbackException)
            {
                throw new FormatException("A name in the module is not UTF-8.");
            }
        }

        /// <summary>Memory or table limits; answers the minimum.</summary>
        public long Limits()
        {
            var flags = Byte();
            var is64 = (flags & 0x04) != 0;
            var minimum = Leb(is64 ? 64 : 32);
            if ((flags & 0x01) != 0)
            {
                Leb(is64 ? 64 : 32);
            }

            return (long)Math.Min(minimum, long.MaxValue);
        }

        private ulong Leb(int bits)
        {
            ulong result = 0;
            var maxBytes = (bits + 6) / 7;
            for (var i = 0; i < maxBytes; i++)
            {
                var b = Byte();
                result |= (ulong)(b & 0x7f) << (7 * i);
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new FormatException("A LEB128 integer is too long.");
        }
    }
}
