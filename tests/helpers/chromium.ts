/** A real browser for e2e tests: Debian's chromium driven by playwright-core (which ships no browser). */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_MISSING =
  'Debian chromium not found: install it with  apt-get update && apt-get install -y chromium';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** `/usr/bin/chromium` when it exists. */
export function chromiumPath(): string | undefined {
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

export function hasChromium(): boolean {
  return chromiumPath() !== undefined;
}

/** Launches headless chromium with no network chatter of its own. Close it in `afterAll`. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
