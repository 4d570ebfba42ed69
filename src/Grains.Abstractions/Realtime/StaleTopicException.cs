namespace Gstd.Realtime;

/// <summary>The topic's head moved under an activation: another one wrote to the topic, so this one must reload.</summary>
[GenerateSerializer, Alias("gstd.StaleTopicException")]
public sealed class StaleTopicException : Exception
{
    public StaleTopicException()
    {
    }

    public StaleTopicException(string topic)
        : base($"Another activation of topic '{topic}' appended events; this one reloads before sequencing more.")
    {
    }
}
