namespace Gstd.Sandbox.Wasi;

/// <summary>The world one run sees through WASI: its stdin, its stdout, its randomness and its clock.</summary>
public sealed class RunContext(ReadOnlyMemory<byte> input, ReadOnlySpan<byte> seed, long fuelLimit, int maxOutputBytes)
{
    private const int MaxStderrBytes = 4096;
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private int _inputPosition;

    public DeterministicRandom Random { get; } = new(seed);

    public long FuelLimit { get; } = fuelLimit;

    /// <summary>Virtual nanoseconds the guest has slept (sleeps return at once but move its clock).</summary>
    public long SleptNanoseconds { get; set; }

    public int? ExitCode { get; set; }

    public bool OutputOverflowed { get; private set; }

    public byte[] Stdout => _stdout.ToArray();

    public string Stderr => System.Text.Encoding.UTF8.GetString(_stderr.GetBuffer(), 0, (int)_stderr.Length);

    public int ReadInput(Span<byte> destination)
    {
        var available = input.Span[_inputPosition..];
        var count = Math.Min(available.Length, destination.Length);
        available[..count].CopyTo(destination);
        _inputPosition += count;
        return count;
    }

    /// <summary>Appends to stdout; false (and nothing written) when the output limit would be passed.</summary>
    public bool WriteOutput(ReadOnlySpan<byte> bytes)
    {
        if (_stdout.Length + bytes.Length > maxOutputBytes)
        {
            OutputOverflowed = true;
            return false;
        }

        _stdout.Write(bytes);
        return true;
    }

    /// <summary>Keeps the start of stderr for diagnostics and drops the rest.</summary>
    public void WriteDiagnostics(ReadOnlySpan<byte> bytes)
    {
        var room = MaxStderrBytes - (int)_stderr.Length;
        if (room > 0)
        {
            _stderr.Write(bytes[..Math.Min(room, bytes.Length)]);
        }
    }
}
