using System.Runtime.InteropServices;
using Gstd.Sandbox.Running;
using Gstd.Worker;

// The GSTD worker agent: one process running one or more logical workers (--agents) against a server.
AgentOptions options;
try
{
    options = AgentOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(AgentOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

using var engine = new WasmEngine();
using var runner = new SandboxRunner(engine, Math.Min(options.Capacity * options.Agents, WasmEngine.InstanceSlots));
// The process's logical workers share what they downloaded: most tasks run a module seen before.
var modules = new ModuleCache(256L * 1024 * 1024);
var agents = Enumerable.Range(0, options.Agents).Select(i => new WorkerAgent(options, i, runner, modules).RunAsync(stop.Token));
try
{
    await Task.WhenAll(agents);
}
catch (OperationCanceledException)
{
    // Stopped by Ctrl+C or SIGTERM.
}

return 0;
