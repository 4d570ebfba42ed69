using System.Collections.Concurrent;

namespace Gstd.StorageTests.Reminders;

[Alias("gstd.tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(TimeSpan due, TimeSpan period);

    [Alias("Unregister")]
    Task Unregister();
}

/// <summary>Records which silo delivered each tick of its reminder.</summary>
public sealed class ReminderProbeGrain(ILocalSiloDetails silo) : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    public static ConcurrentDictionary<string, ConcurrentQueue<SiloAddress>> Ticks { get; } = new();

    public Task Register(TimeSpan due, TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, due, period);

    public async Task Unregister()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.GetOrAdd(this.GetPrimaryKeyString(), _ => new ConcurrentQueue<SiloAddress>()).Enqueue(silo.SiloAddress);
        return Task.CompletedTask;
    }
}
