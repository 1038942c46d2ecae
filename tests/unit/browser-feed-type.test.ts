import { describe, expect, it } from 'vitest';
import { browserFeedType } from '../../functions/core/content-types.ts';
import { FEED_FOR_BROWSERS_FUNCTION_CODE } from '../../lib/site-distribution.ts';

type Headers = Record<string, { value: string }>;
const cloudFront = new Function(`${FEED_FOR_BROWSERS_FUNCTION_CODE}\nreturn handler;`)() as (event: {
  request: { headers: Headers };
  response: { headers: Headers };
}) => { headers: Headers };

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const READER = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1';
const cases: [stored: string, accept: string | undefined, served: string][] = [
  ['application/rss+xml; charset=utf-8', BROWSER, 'application/xml; charset=utf-8'],
  ['application/atom+xml; charset=utf-8', BROWSER, 'application/xml; charset=utf-8'],
  ['application/rss+xml; charset=utf-8', READER, 'application/rss+xml; charset=utf-8'],
  ['application/rss+xml; charset=utf-8', undefined, 'application/rss+xml; charset=utf-8'],
  ['application/feed+json; charset=utf-8', BROWSER, 'application/feed+json; charset=utf-8'],
  ['text/html; charset=utf-8', BROWSER, 'text/html; charset=utf-8'],
];

describe('feeds opened in a browser are labelled application/xml so their stylesheet applies', () => {
  it.each(cases)('%s with Accept %s → %s (preview server)', (stored, accept, served) => {
    expect(browserFeedType(stored, accept)).toBe(served);
  });

  it.each(cases)('%s with Accept %s → %s (CloudFront function)', (stored, accept, served) => {
    const response = cloudFront({
      request: { headers: accept ? { accept: { value: accept } } : {} },
      response: { headers: { 'content-type': { value: stored } } },
    });
    expect(response.headers['content-type']?.value).toBe(served);
    expect(response.headers.vary?.value).toBe('Accept');
  });
});
