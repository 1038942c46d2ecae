/**
 * A published recording and the article that links it, served with the stack's own Content-Security-Policy
 * header (CloudFront adds it to every response), opened in headless Debian chromium: the page raises no
 * policy violation (its schema.org data block included), its footnotes link both ways, its old address
 * (front matter `aliases`) sends the reader on, and the recording plays in the page's own player (front
 * matter `enclosure`) and in the browser's media document.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLocal } from '../../bin/cli-build.ts';
import { createSiteHandler } from '../../bin/cli-site-server.ts';
import { CONTENT_SECURITY_POLICY } from '../../lib/site-distribution.ts';
import { CHROMIUM_MISSING, hasChromium, launchChromium } from '../helpers/chromium.ts';
import { missing } from '../helpers/skip.ts';

/** One second of a 440 Hz tone: a WAV file any browser plays. */
function wav(): Uint8Array {
  const rate = 8000;
  const samples = Int16Array.from({ length: rate }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)),
  );
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer)]);
}

const ARTICLE = `---
title: The council meets
date: 2025-03-01
aliases: [/2019/03/council-meeting/]
enclosure: audio/council.wav
---

The council met on Tuesday.[^1] [Listen to the meeting](audio/council.wav).

## What was decided

The budget passed.

[^1]: In the town hall.
`;

describe.skipIf(missing(hasChromium(), CHROMIUM_MISSING))(
  'published media under the CSP of the site, in chromium',
  () => {
    let browser: Browser;
    let page: Page;
    let base: string;
    const server = createServer();
    const violations: string[] = [];

    beforeAll(async () => {
      const content = await mkdtemp(join(tmpdir(), 'broadsheet-media-content-'));
      const outDir = await mkdtemp(join(tmpdir(), 'broadsheet-media-site-'));
      await mkdir(join(content, 'audio'));
      await writeFile(join(content, '2025-03-01-council.md'), ARTICLE);
      await writeFile(join(content, 'audio/council.wav'), wav());
      const handler = createSiteHandler(outDir);
      server.on('request', (req, res) => {
        res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
        void handler(req, res);
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await buildLocal({ contentDir: content, outDir, siteUrl: base, now: new Date('2025-06-01T12:00:00Z') });
      browser = await launchChromium();
      page = await browser.newPage();
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    });

    it('shows the article without a policy violation, footnotes linked both ways', async () => {
      const response = await page.goto(`${base}posts/council/`);
      expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.textContent('h2#what-was-decided')).toBe('What was decided');
      await page.click('sup a');
      expect(page.url()).toBe(`${base}posts/council/#footnote-1`);
      expect(await page.textContent('li#footnote-1')).toContain('In the town hall.');
      await page.click('li#footnote-1 a');
      expect(page.url()).toBe(`${base}posts/council/#footnote-ref-1`);
      expect(violations).toEqual([]);
    });

    it('sends a reader of an old address (front matter aliases) on to the article', async () => {
      await page.goto(`${base}2019/03/council-meeting/`);
      await page.waitForURL(`${base}posts/council/`);
      expect(await page.textContent('h1')).toBe('The council meets');
      expect(violations).toEqual([]);
    });

    it("plays the recording in the article page's own player (front matter enclosure)", async () => {
      await page.goto(`${base}posts/council/`);
      const player = page.locator('figure.enclosure audio');
      expect(await player.getAttribute('src')).toBe(`${base}posts/council/audio/council.wav`);
      expect(await page.textContent('figure.enclosure figcaption')).toBe('council.wav (16 KB)');
      await player.evaluate((m) => {
        const media = m as unknown as { muted: boolean; play(): Promise<void> };
        media.muted = true;
        return media.play();
      });
      // A function, not a string: the page's CSP forbids eval.
      await player.evaluate(
        (m) =>
          new Promise<void>((played) => {
            const media = m as unknown as {
              currentTime: number;
              addEventListener(e: string, f: () => void): void;
            };
            media.addEventListener('timeupdate', () => {
              if (media.currentTime > 0.2) played();
            });
          }),
      );
      expect(await player.evaluate((m) => (m as unknown as { duration: number }).duration)).toBeCloseTo(1, 1);
      expect(violations).toEqual([]);
    });

    it('plays the recording the article links', async () => {
      await page.goto(`${base}posts/council/`);
      await page.click('text=Listen to the meeting');
      await page.waitForLoadState('load');
      expect(page.url()).toBe(`${base}posts/council/audio/council.wav`);
      // Chromium's media document: one element playing the URL. HAVE_ENOUGH_DATA is 4.
      await page.waitForFunction("document.querySelector('video, audio')?.readyState === 4", undefined, {
        timeout: 10_000,
      });
      const duration = await page.$eval(
        'video, audio',
        (m) => (m as unknown as { duration: number }).duration,
      );
      expect(duration).toBeCloseTo(1, 1);
      expect(violations).toEqual([]);
    });
  },
);
