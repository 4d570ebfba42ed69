import type { TaskSpec } from '../api/types';
import { parseMoney } from '../format/money';
import type { SubmitTaskRequest, TaskLimitName } from './taskTypes';

export type SubmitField = 'module' | 'input' | 'price' | TaskLimitName;

export interface LimitField {
  name: TaskLimitName;
  label: string;
  /** The least value API.md allows (GET /api/limits answers defaults and maxima only). */
  min: number;
  /** minTrust is a ratio; every other limit is a whole number. */
  integer: boolean;
}

export const LIMIT_FIELDS: readonly LimitField[] = [
  { name: 'timeoutSeconds', label: 'Timeout (seconds)', min: 1, integer: true },
  { name: 'maxFuel', label: 'Fuel limit', min: 1_000_000, integer: true },
  { name: 'memoryLimitMb', label: 'Memory limit (MB)', min: 1, integer: true },
  { name: 'minTrust', label: 'Minimum worker trust', min: 0, integer: false },
  { name: 'priority', label: 'Priority', min: 0, integer: true },
  { name: 'maxAttempts', label: 'Attempts at most', min: 1, integer: true },
  { name: 'replicas', label: 'Replicas', min: 1, integer: true },
  { name: 'reviewSeconds', label: 'Review window (seconds)', min: 0, integer: true },
  { name: 'queueTimeoutSeconds', label: 'Queue timeout (seconds)', min: 10, integer: true },
];

/** The name a field goes by in the error summary. */
export function fieldLabel(field: SubmitField): string {
  switch (field) {
    case 'module':
      return 'Module';
    case 'input':
      return 'Input';
    case 'price':
      return 'Price';
    default:
      return LIMIT_FIELDS.find((limit) => limit.name === field)?.label ?? field;
  }
}

export type FieldErrors = Partial<Record<SubmitField, string[]>>;

const FIELD_BY_KEY = new Map<string, SubmitField>([
  ['moduleid', 'module'],
  ['module', 'module'],
  ['input', 'input'],
  ['inputid', 'input'],
  ['price', 'price'],
  ...LIMIT_FIELDS.map((field): [string, SubmitField] => [field.name.toLowerCase(), field.name]),
]);

/**
 * The form field a problem+json `errors` key is about: `price`, `spec.timeoutSeconds`, `$.maxFuel` and
 * `TimeoutSeconds` all name a field by their last segment; null for keys about no field (`Idempotency-Key`, `body`).
 */
export function fieldOfErrorKey(key: string): SubmitField | null {
  const last = key.split('.').at(-1) ?? '';
  return FIELD_BY_KEY.get(last.replace(/^\$/, '').toLowerCase()) ?? null;
}

/** A problem's field errors split into the fields they belong to and the rest, which the summary shows alone. */
export function sortProblemErrors(errors: Readonly<Record<string, readonly string[]>>): { byField: FieldErrors; other: string[] } {
  const byField: FieldErrors = {};
  const other: string[] = [];
  for (const [key, messages] of Object.entries(errors)) {
    const field = fieldOfErrorKey(key);
    if (field === null) {
      other.push(...messages.map((message) => (key === '' ? message : `${key}: ${message}`)));
    } else {
      byField[field] = [...(byField[field] ?? []), ...messages];
    }
  }
  return { byField, other };
}

export interface SubmitFormValues {
  moduleId: string;
  price: string;
  /** As typed; empty means the platform's default. */
  limits: Readonly<Record<TaskLimitName, string>>;
}

export type CheckedForm =
  | { ok: true; moduleId: string; price: string; spec: Partial<TaskSpec> }
  | { ok: false; errors: FieldErrors };

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** Checks only what is plainly wrong (missing, not a number); ranges and the rest are the API's to judge. */
export function checkSubmitForm(values: SubmitFormValues): CheckedForm {
  const errors: FieldErrors = {};
  const moduleId = values.moduleId.trim();
  if (moduleId === '') {
    errors.module = ['Upload a module or give the id of one you uploaded.'];
  }
  const price = values.price.trim();
  if (price === '') {
    errors.price = ['Give a price.'];
  } else if (!DECIMAL.test(price)) {
    errors.price = ['Write the price as a decimal number of GSTD, such as 0.5.'];
  }
  const spec: Partial<TaskSpec> = {};
  for (const field of LIMIT_FIELDS) {
    const text = values.limits[field.name].trim();
    if (text === '') {
      continue;
    }
    if (field.integer ? !WHOLE.test(text) || !Number.isSafeInteger(Number(text)) : !DECIMAL.test(text)) {
      errors[field.name] = [field.integer ? 'Write a whole number.' : 'Write a number such as 0.5.'];
    } else {
      spec[field.name] = Number(text);
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, moduleId, price, spec };
}

export type InputTransport = 'inline' | 'blob';

/** Inline base64 when the input is small enough for the task request, else a blob uploaded first. */
export function chooseInputTransport(size: number, maxInlineInputBytes: number | null): InputTransport {
  // Without the limits, a blob is safe for any non-empty input; an empty blob is refused, empty inline is not.
  if (size === 0) {
    return 'inline';
  }
  return maxInlineInputBytes !== null && size <= maxInlineInputBytes ? 'inline' : 'blob';
}

export function submitRequest(form: Extract<CheckedForm, { ok: true }>, input: { input: string } | { inputId: string }): SubmitTaskRequest {
  return { moduleId: form.moduleId, price: form.price, ...input, ...form.spec };
}

/**
 * What the task would hold in escrow: price × replicas plus the fee (basis points of that, rounded up to the
 * nano-GSTD as the platform does). Null when the price is not an amount yet.
 */
export function escrowEstimate(price: string, replicas: number, feeBps: number): { fee: bigint; escrow: bigint } | null {
  if (!DECIMAL.test(price.trim())) {
    return null;
  }
  let nano: bigint;
  try {
    nano = parseMoney(price) * BigInt(replicas);
  } catch {
    return null;
  }
  const fee = (nano * BigInt(feeBps) + 9_999n) / 10_000n;
  return { fee, escrow: nano + fee };
}

/**
 * The Idempotency-Key for a submission: the same as last time for the same body, so a retry or double click
 * submits once; a new one when the form changed, as the gateway refuses a key reused for a different body.
 */
export function idempotencyKeyFor(previous: { body: string; key: string } | null, body: string, newKey: () => string): { body: string; key: string } {
  return previous !== null && previous.body === body ? previous : { body, key: newKey() };
}
