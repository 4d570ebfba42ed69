import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSubmitForm, chooseInputTransport, escrowEstimate, fieldOfErrorKey, idempotencyKeyFor, LIMIT_FIELDS, sortProblemErrors, submitRequest } from './submitForm';
import type { TaskLimitName } from './taskTypes';

const noLimits = Object.fromEntries(LIMIT_FIELDS.map((f) => [f.name, ''])) as Record<TaskLimitName, string>;

describe('fieldOfErrorKey', () => {
  it('maps the API’s field names, in any of their spellings, to form fields', () => {
    expect(fieldOfErrorKey('price')).toBe('price');
    expect(fieldOfErrorKey('moduleId')).toBe('module');
    expect(fieldOfErrorKey('input')).toBe('input');
    expect(fieldOfErrorKey('inputId')).toBe('input');
    expect(fieldOfErrorKey('spec.timeoutSeconds')).toBe('timeoutSeconds');
    expect(fieldOfErrorKey('$.maxFuel')).toBe('maxFuel');
    expect(fieldOfErrorKey('QueueTimeoutSeconds')).toBe('queueTimeoutSeconds');
  });

  it('maps keys about no field to none', () => {
    expect(fieldOfErrorKey('Idempotency-Key')).toBeNull();
    expect(fieldOfErrorKey('body')).toBeNull();
    expect(fieldOfErrorKey('')).toBeNull();
  });

  it('maps every limit by its own name', () => {
    for (const field of LIMIT_FIELDS) {
      expect(fieldOfErrorKey(field.name)).toBe(field.name);
      expect(fieldOfErrorKey(`spec.${field.name}`)).toBe(field.name);
    }
  });
});

describe('sortProblemErrors', () => {
  it('puts messages with their fields, joins two keys of one field and keeps the rest for the summary', () => {
    const sorted = sortProblemErrors({
      input: ['Give exactly one of input (base64) and inputId.'],
      inputId: ['Must be a blob id.'],
      'spec.replicas': ['Must be at most 5.'],
      'Idempotency-Key': ['Must be 1 to 200 characters.'],
    });
    expect(sorted.byField).toEqual({
      input: ['Give exactly one of input (base64) and inputId.', 'Must be a blob id.'],
      replicas: ['Must be at most 5.'],
    });
    expect(sorted.other).toEqual(['Idempotency-Key: Must be 1 to 200 characters.']);
  });
});

describe('checkSubmitForm', () => {
  it('asks for a module and a price', () => {
    expect(checkSubmitForm({ moduleId: ' ', price: '', limits: noLimits })).toEqual({
      ok: false,
      errors: { module: ['Upload a module or give the id of one you uploaded.'], price: ['Give a price.'] },
    });
  });

  it('refuses what is not a number, and leaves ranges to the API', () => {
    const checked = checkSubmitForm({
      moduleId: 'sha256:ab',
      price: '0,5',
      limits: { ...noLimits, timeoutSeconds: '2.5', minTrust: 'high', replicas: '99' },
    });
    expect(checked).toEqual({
      ok: false,
      errors: {
        price: ['Write the price as a decimal number of GSTD, such as 0.5.'],
        timeoutSeconds: ['Write a whole number.'],
        minTrust: ['Write a number such as 0.5.'],
      },
    });
  });

  it('sends only the limits that were given, as numbers', () => {
    const checked = checkSubmitForm({ moduleId: ' sha256:ab ', price: '0.5', limits: { ...noLimits, replicas: '2', minTrust: '0.25' } });
    expect(checked).toEqual({ ok: true, moduleId: 'sha256:ab', price: '0.5', spec: { replicas: 2, minTrust: 0.25 } });
    if (checked.ok) {
      expect(submitRequest(checked, { input: 'aGk=' })).toEqual({ moduleId: 'sha256:ab', price: '0.5', input: 'aGk=', replicas: 2, minTrust: 0.25 });
    }
  });
});

describe('chooseInputTransport', () => {
  it('sends small input inline and the rest as a blob', () => {
    expect(chooseInputTransport(0, 1024)).toBe('inline');
    expect(chooseInputTransport(1024, 1024)).toBe('inline');
    expect(chooseInputTransport(1025, 1024)).toBe('blob');
    expect(chooseInputTransport(10, null)).toBe('blob');
    expect(chooseInputTransport(0, null)).toBe('inline');
  });
});

describe('escrowEstimate', () => {
  it('holds price × replicas plus the fee rounded up to the nano', () => {
    expect(escrowEstimate('0.5', 1, 500)).toEqual({ fee: 25_000_000n, escrow: 525_000_000n });
    expect(escrowEstimate('0.000000001', 3, 500)).toEqual({ fee: 1n, escrow: 4n });
    expect(escrowEstimate('abc', 1, 500)).toBeNull();
    expect(escrowEstimate('1.0000000001', 1, 500)).toBeNull();
  });
});

describe('idempotencyKeyFor', () => {
  it('keeps the key for the same body and takes a new one for a changed body', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (first, second) => {
        let issued = 0;
        const newKey = () => `k${++issued}`;
        const one = idempotencyKeyFor(null, first, newKey);
        const again = idempotencyKeyFor(one, first, newKey);
        const changed = idempotencyKeyFor(again, second, newKey);

        expect(again.key).toBe(one.key);
        expect(changed.key === one.key).toBe(first === second);
      }),
    );
  });
});
