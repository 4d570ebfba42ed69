/** A refused or failed API call, carrying the gateway's problem+json fields when it sent them. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status; 0 when the gateway could not be reached. */
    readonly status: number,
    readonly title: string,
    readonly detail: string | null = null,
    readonly code: string | null = null,
    /** Validation messages by request field (e.g. `workerShare`). */
    readonly errors: Readonly<Record<string, readonly string[]>> = {},
  ) {
    super(detail ?? title);
  }
}

/** The ApiError for a non-2xx response: problem+json fields when the body has them, the status otherwise. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const fallback = `The gateway answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new ApiError(response.status, fallback);
  }
  if (!isRecord(body)) {
    return new ApiError(response.status, fallback);
  }
  return new ApiError(
    response.status,
    stringOrNull(body['title']) ?? fallback,
    stringOrNull(body['detail']),
    stringOrNull(body['code']),
    fieldErrors(body['errors']),
  );
}

function fieldErrors(value: unknown): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!isRecord(value)) {
    return errors;
  }
  for (const [field, messages] of Object.entries(value)) {
    const texts = Array.isArray(messages) ? messages.filter((m): m is string => typeof m === 'string') : [];
    if (texts.length > 0) {
      errors[field] = texts;
    }
  }
  return errors;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
