import { describe, expect, it } from 'vitest';
import { createProgress, formatProgress, type ProgressStream, progressMode } from '../../bin/cli-progress.ts';

function fakeStream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 60,
    text: '',
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

describe('progress', () => {
  it('draws a bar only on a terminal outside CI', () => {
    expect(progressMode({ isTTY: true, write() {} }, {})).toBe('bar');
    expect(progressMode({ isTTY: true, write() {} }, { CI: 'true' })).toBe('lines');
    expect(progressMode({ isTTY: true, write() {} }, { CI: '' })).toBe('lines');
    expect(progressMode({ isTTY: false, write() {} }, {})).toBe('lines');
  });

  it('formats a bar with a count, and a bare count when the total is unknown', () => {
    expect(formatProgress('uploading', 5, 10, 40)).toBe('uploading [##########----------]  5/10');
    expect(formatProgress('uploading', 5, 10, 0)).toBe('uploading  5/10');
    expect(formatProgress('writing files', 7, undefined)).toBe('writing files 7');
  });

  it('on a terminal redraws one line with \\r and clears it at the end', () => {
    const stream = fakeStream(true);
    let t = 0;
    const progress = createProgress('uploading', 100, { stream, env: {}, clock: () => (t += 200) });
    for (let i = 1; i <= 100; i++) progress.update(i);
    progress.finish();
    expect(stream.text.startsWith('\r')).toBe(true);
    expect(stream.text).not.toContain('\n');
    expect(stream.text).toContain('100/100');
    expect(stream.text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('in CI writes one plain line per tenth of the work', () => {
    const stream = fakeStream(true);
    const progress = createProgress('uploading', 200, { stream, env: { CI: 'true' } });
    for (let i = 1; i <= 200; i++) progress.update(i);
    progress.finish();
    const lines = stream.text.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('uploading  20/200');
    expect(lines.at(-1)).toBe('uploading 200/200');
    expect(stream.text).not.toContain('\r');
  });

  it('stays quiet in plain-line mode for small jobs, and says where an interrupted job stopped', () => {
    const small = fakeStream(false);
    const p1 = createProgress('uploading', 3, { stream: small, env: {} });
    p1.update(1);
    p1.update(3);
    p1.finish();
    expect(small.text).toBe('');

    const stopped = fakeStream(false);
    const p2 = createProgress('reading articles', 1000, { stream: stopped, env: {} });
    for (let i = 1; i <= 250; i++) p2.update(i);
    p2.finish();
    expect(stopped.text.trimEnd().split('\n').at(-1)).toBe('reading articles  250/1000');
  });
});
