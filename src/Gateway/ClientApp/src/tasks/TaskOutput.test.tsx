import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from './bytesToBase64';
import { TaskOutput } from './TaskOutput';
import { testTask } from './testTask';

const result = { outputId: 'sha256:out', outputSha256: 'ab12', workerId: 'wrk_1' };

describe('TaskOutput', () => {
  it('shows a hostile output as escaped text and hex, never as markup', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const html = renderToStaticMarkup(<TaskOutput task={testTask({ result: { ...result, output: bytesToBase64(new TextEncoder().encode(hostile)) } })} />);

    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('00000000  3c 69 6d 67');
    expect(html).toContain('wrk_1');
  });

  it('says where an output too large to be inline is kept, and when there is none yet', () => {
    expect(renderToStaticMarkup(<TaskOutput task={testTask({ result: { ...result, output: null } })} />)).toContain('sha256:out');
    expect(renderToStaticMarkup(<TaskOutput task={testTask()} />)).toContain('No result yet.');
  });
});
