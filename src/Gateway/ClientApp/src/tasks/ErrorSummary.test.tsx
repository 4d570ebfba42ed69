import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/apiError';
import { ErrorSummary } from './ErrorSummary';
import { LimitFields } from './LimitFields';
import { LIMIT_FIELDS } from './submitForm';
import type { TaskLimitName } from './taskTypes';

const fieldIdOf = (field: string) => `f-${field}`;

describe('ErrorSummary', () => {
  it('shows the problem’s title and detail and each field’s message by its label', () => {
    const failure = new ApiError(400, 'The request is not valid.', 'See the fields.', 'validation_failed', {});
    const html = renderToStaticMarkup(
      <ErrorSummary ref={null} failure={failure} fieldErrors={{ replicas: ['Must be at most 5.'] }} other={['Idempotency-Key: Too long.']} fieldIdOf={fieldIdOf} />,
    );

    expect(html).toContain('role="alert"');
    expect(html).toContain('<h2>The request is not valid.</h2><p>See the fields.</p>');
    expect(html).toContain('Replicas: Must be at most 5.');
    expect(html).toContain('<li>Idempotency-Key: Too long.</li>');
  });

  it('shows nothing without errors', () => {
    expect(renderToStaticMarkup(<ErrorSummary ref={null} failure={null} fieldErrors={{}} other={[]} fieldIdOf={fieldIdOf} />)).toBe('');
  });
});

describe('LimitFields', () => {
  it('marks a field with errors invalid and points its description at them', () => {
    const values = Object.fromEntries(LIMIT_FIELDS.map((f) => [f.name, ''])) as Record<TaskLimitName, string>;
    const html = renderToStaticMarkup(
      <LimitFields fieldIdOf={fieldIdOf} values={values} onChange={() => {}} errors={{ timeoutSeconds: ['Must be at most 3600.'] }} defaults={null} maxima={null} />,
    );

    expect(html).toMatch(/id="f-timeoutSeconds"[^>]*aria-invalid="true"[^>]*aria-describedby="f-timeoutSeconds-hint f-timeoutSeconds-errors"/);
    expect(html).toContain('<ul id="f-timeoutSeconds-errors" class="field-errors"><li>Must be at most 3600.</li></ul>');
    expect(html).toMatch(/id="f-maxFuel"[^>]*aria-invalid="false"[^>]*aria-describedby="f-maxFuel-hint"/);
  });
});
