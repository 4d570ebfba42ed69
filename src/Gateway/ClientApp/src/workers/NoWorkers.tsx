/** What an operator without workers sees: how a worker gets here. */
export function NoWorkers({ onCheckAgain }: { onCheckAgain: () => void }) {
  return (
    <div className="no-workers">
      <p>
        <strong>You have no workers yet.</strong> A worker is a machine running the GSTD worker agent; the agent registers
        itself with your account the first time it starts.
      </p>
      <ol>
        <li>Create an API key with the <em>worker</em> scope for this account (your account needs the worker role).</li>
        <li>
          Start the agent with it:
          <pre className="command">
            Gstd.Worker --server {window.location.origin} --api-key &lt;worker key&gt;
          </pre>
        </li>
      </ol>
      <button type="button" onClick={onCheckAgain}>
        Check again
      </button>
    </div>
  );
}
