import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, hasChromium, launchChromium } from '../helpers/chromium.ts';
import { missing } from '../helpers/skip.ts';

describe.skipIf(missing(hasChromium(), CHROMIUM_MISSING))('launchChromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders a page and runs its script', async () => {
    const page = await browser.newPage();
    await page.setContent('<title>Harness</title><p id="p"></p><script>p.textContent = 1 + 1</script>');
    expect(await page.title()).toBe('Harness');
    expect(await page.textContent('#p')).toBe('2');
  });
});
