using Wasmtime;

namespace Gstd.Sandbox.Wasi;

/// <summary>
/// Our replacements for the WASI preview 1 functions through which nondeterminism or the host could leak
/// in: stdin and stdout over in-memory buffers, a seeded <c>random_get</c>, clocks that advance with
/// the fuel a run burns, a <c>poll_oneoff</c> that never blocks, and an exit that records its code. The
/// rest of WASI is Wasmtime's, over an empty world (no files, environment, arguments or network).
/// </summary>
public static class WasiHost
{
    private const string Module = "wasi_snapshot_preview1";
    private const int Success = 0;
    private const int BadFileDescriptor = 8;
    private const int Fault = 21;
    private const int Invalid = 28;

    /// <summary>
    /// Fuel a host call costs: a base per call (per buffer for reads and writes) and a price per byte it moves, so a guest cannot run for free in
    /// host code (filling megabytes with <c>random_get</c> costs fuel like computing them would).
    /// </summary>
    public const long CallFuel = 100;

    public const long ByteFuel = 1;

    public const long RandomByteFuel = 4;

    /// <summary>Virtual wall-clock time starts at 2000-01-01T00:00:00Z for every run.</summary>
    private const long RealtimeOrigin = 946_684_800_000_000_000;

    public static void Define(Linker linker)
    {
        linker.DefineWasi();
        linker.AllowShadowing = true;
        linker.DefineFunction(Module, "fd_read", (CallerFunc<int, int, int, int, int>)FdRead);
        linker.DefineFunction(Module, "fd_write", (CallerFunc<int, int, int, int, int>)FdWrite);
        linker.DefineFunction(Module, "fd_fdstat_get", (CallerFunc<int, int, int>)FdFdstatGet);
        linker.DefineFunction(Module, "random_get", (CallerFunc<int, int, int>)RandomGet);
        linker.DefineFunction(Module, "clock_time_get", (CallerFunc<int, long, int, int>)ClockTimeGet);
        linker.DefineFunction(Module, "clock_res_get", (CallerFunc<int, int, int>)ClockResGet);
        linker.DefineFunction(Module, "poll_oneoff", (CallerFunc<int, int, int, int, int>)PollOneoff);
        linker.DefineFunction(Module, "sched_yield", () => Success);
        linker.DefineFunction(Module, "proc_exit", (CallerAction<int>)ProcExit);
    }

    private static RunContext Context(Caller caller) => (RunContext)caller.GetData()!;

    /// <summary>Takes <paramref name="cost"/> fuel (plus the call's base) from the run; what it cannot pay leaves it none, so it traps out of fuel on its next instruction.</summary>
    private static void Charge(Caller caller, long cost)
    {
        var fuel = caller.Fuel;
        var total = cost + CallFuel;
        caller.Fuel = fuel > (ulong)total ? fuel - (ulong)total : 0;
    }

    private static int FdRead(Caller caller, int fd, int iovs, int iovsLength, int readPointer)
    {
        if (fd != 0)
        {
            return BadFileDescriptor;
        }

        var context = Context(caller);
        long moved = 0;
        var status = WithMemory(caller, memory =>
        {
            var total = 0;
            for (var i = 0; i < iovsLength; i++)
            {
                var (buffer, length) = ReadIovec(memory, iovs, i);
                var read = context.ReadInput(memory.GetSpan(buffer, length));
                total += read;
                if (read < length)
                {
                    break;
                }
            }

            moved = total;
            memory.WriteInt32(readPointer, total);
            return Success;
        });
        Charge(caller, moved * ByteFuel);
        return status;
    }

    private static int FdWrite(Caller caller, int fd, int iovs, int iovsLength, int writtenPointer)
    {
        if (fd is not (1 or 2))
        {
            return BadFileDescriptor;
        }

        var context = Context(caller);
        long moved = 0;
        var status = WithMemory(caller, memory =>
        {
            var total = 0;
            for (var i = 0; i < iovsLength; i++)
            {
                var (buffer, length) = ReadIovec(memory, iovs, i);
                var bytes = memory.GetSpan(buffer, length);
                if (fd == 2)
                {
                    context.WriteDiagnostics(bytes);
                }
                else if (!context.WriteOutput(bytes))
                {
                    return -1;
                }

                total += length;
                moved = total;
            }

            memory.WriteInt32(writtenPointer, total);
            return Success;
        });
        Charge(caller, moved * ByteFuel);

        // Past the output limit the run ends here, as a trap the sandbox reports as OutputTooLarge.
        return status == -1 ? throw new OutputLimitExceededException() : status;
    }

    private static int FdFdstatGet(Caller caller, int fd, int statPointer)
    {
        if (fd is < 0 or > 2)
        {
            return BadFileDescriptor;
        }

        return WithMemory(caller, memory =>
        {
            // fdstat: filetype u8 (2 = character device), flags u16, rights base u64, rights inheriting u64.
            memory.GetSpan(statPointer, 24).Clear();
            memory.WriteByte(statPointer, 2);
            memory.WriteInt64(statPointer + 8, fd == 0 ? 1L << 1 : 1L << 6);
            return Success;
        });
    }

    private static int RandomGet(Caller caller, int buffer, int length)
    {
        var random = Context(caller).Random;
        Charge(caller, Math.Max(0, length) * RandomByteFuel);
        return WithMemory(caller, memory =>
        {
            random.Fill(memory.GetSpan(buffer, length));
            return Success;
        });
    }

    private static int ClockTimeGet(Caller caller, int clockId, long precision, int timePointer)
    {
        if (clockId is < 0 or > 3)
        {
            return Invalid;
        }

        var now = Now(caller, clockId);
        return WithMemory(caller, memory =>
        {
            memory.WriteInt64(timePointer, now);
            return Success;
        });
    }

    private static int ClockResGet(Caller caller, int clockId, int resolutionPointer) =>
        clockId is < 0 or > 3
            ? Invalid
            : WithMemory(caller, memory =>
            {
                memory.WriteInt64(resolutionPointer, 1);
                return Success;
            });

    /// <summary>
    /// Every subscription is ready at once: stdin is in memory and stdout never blocks. A run that waits
    /// only on clocks has its virtual clock moved to the earliest deadline, so sleeping costs no time.
    /// </summary>
    private static int PollOneoff(Caller caller, int subscriptions, int events, int count, int eventCountPointer)
    {
        if (count <= 0)
        {
            return Invalid;
        }

        var context = Context(caller);
        var monotonic = Now(caller, 1);
        var realtime = Now(caller, 0);
        return WithMemory(caller, memory =>
        {
            var anyFd = false;
            var earliest = long.MaxValue;
            for (var i = 0; i < count; i++)
            {
                var subscription = subscriptions + (i * 48);
                if (memory.ReadByte(subscription + 8) != 0)
                {
                    anyFd = true;
                    continue;
                }

                var clockId = memory.ReadInt32(subscription + 16);
                var timeout = memory.ReadInt64(subscription + 24);
                var absolute = (memory.ReadInt16(subscription + 40) & 1) != 0;
                var now = clockId == 0 ? realtime : monotonic;
                var wait = absolute ? timeout - now : timeout;
                earliest = Math.Min(earliest, Math.Max(0, wait));
            }

            if (!anyFd && earliest != long.MaxValue)
            {
                context.SleptNanoseconds += earliest;
            }

            var written = 0;
            for (var i = 0; i < count; i++)
            {
                var subscription = subscriptions + (i * 48);
                var type = memory.ReadByte(subscription + 8);
                if (type == 0 && anyFd)
                {
                    continue;
                }

                var @event = events + (written * 32);
                memory.GetSpan(@event, 32).Clear();
                memory.WriteInt64(@event, memory.ReadInt64(subscription));
                memory.WriteByte(@event + 10, type);
                if (type != 0)
                {
                    memory.WriteInt64(@event + 16, type == 1 ? 0 : 1);
                }

                written++;
            }

            memory.WriteInt32(eventCountPointer, written);
            return Success;
        });
    }

    private static void ProcExit(Caller caller, int code)
    {
        Context(caller).ExitCode = code;
        throw new ProcessExitException(code);
    }

    /// <summary>Virtual time: a fixed origin plus one nanosecond per unit of fuel burned, plus any sleeps.</summary>
    private static long Now(Caller caller, int clockId)
    {
        var context = Context(caller);
        var elapsed = context.FuelLimit - (long)caller.Fuel + context.SleptNanoseconds;
        return clockId == 0 ? RealtimeOrigin + elapsed : elapsed;
    }

    private static (int Buffer, int Length) ReadIovec(Memory memory, int iovs, int index)
    {
        var buffer = memory.ReadInt32(iovs + (index * 8));
        var length = memory.ReadInt32(iovs + (index * 8) + 4);
        return length < 0 ? throw new ArgumentOutOfRangeException(nameof(index), "An iovec length is negative.") : (buffer, length);
    }

    /// <summary>Runs a memory access, answering EFAULT for a pointer outside the guest's memory.</summary>
    private static int WithMemory(Caller caller, Func<Memory, int> access)
    {
        var memory = caller.GetMemory("memory");
        if (memory is null)
        {
            return Fault;
        }

        try
        {
            return access(memory);
        }
        catch (ArgumentException)
        {
            return Fault;
        }
    }
}

/// <summary>Unwinds a run that called <c>proc_exit</c>; the code is in the run's context.</summary>
public sealed class ProcessExitException(int code) : Exception($"The module exited with code {code}.");

/// <summary>Unwinds a run that wrote more than its output limit.</summary>
public sealed class OutputLimitExceededException() : Exception("The module wrote more than its output limit.");
