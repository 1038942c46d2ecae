import { afterEach, describe, expect, it, vi } from 'vitest';
import { missing, probeOnce } from '../helpers/skip.ts';

describe('missing', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('does not skip when the tool is there', () => {
    expect(missing(true, 'never shown')).toBe(false);
  });

  it('skips and warns once per message', () => {
    vi.stubEnv('BROADSHEET_REQUIRE_TOOLS', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(missing(false, 'tool X not found')).toBe(true);
    expect(missing(false, 'tool X not found')).toBe(true);
    expect(warn).toHaveBeenCalledExactlyOnceWith('tool X not found');
  });

  it('fails instead when tools are required', () => {
    vi.stubEnv('BROADSHEET_REQUIRE_TOOLS', '1');
    expect(() => missing(false, 'tool Y not found')).toThrow(
      'required tool missing (BROADSHEET_REQUIRE_TOOLS=1): tool Y not found',
    );
  });
});

describe('probeOnce', () => {
  it('runs the probe once', () => {
    const probe = vi.fn(() => true);
    const cached = probeOnce(probe);
    expect([cached(), cached()]).toEqual([true, true]);
    expect(probe).toHaveBeenCalledTimes(1);
  });
});
