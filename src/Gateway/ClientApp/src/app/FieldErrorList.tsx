/** A field's validation messages, referenced by the field's aria-describedby. Nothing when there are none. */
export function FieldErrorList({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (messages === undefined || messages.length === 0) {
    return null;
  }
  return (
    <ul id={id} className="field-errors">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
