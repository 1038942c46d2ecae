// No schema library here: this runs at cold start, and the entry chunk of the bundle must stay small.
export interface PublisherEnv {
  CONTENT_BUCKET: string;
  SITE_BUCKET: string;
  CONTENT_PREFIX: string;
  SITE_URL?: string | undefined;
  /** The CloudFront distribution in front of the site bucket: replaced pages are invalidated in it. */
  DISTRIBUTION_ID?: string | undefined;
}

const isUrl = (value: string) => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Reads the Lambda's settings once, at cold start: a missing bucket fails the deploy's first invoke, loudly. */
export function readPublisherEnv(env: NodeJS.ProcessEnv): PublisherEnv {
  const issues: string[] = [];
  for (const name of ['CONTENT_BUCKET', 'SITE_BUCKET'] as const) {
    const value = env[name];
    if (value === undefined) issues.push(`${name}: missing`);
    else if (value.length < 3) issues.push(`${name}: shorter than 3 characters`);
  }
  const siteUrl = env.SITE_URL;
  if (siteUrl !== undefined && !isUrl(siteUrl)) issues.push('SITE_URL: not an http(s) URL');
  const distributionId = env.DISTRIBUTION_ID || undefined;
  if (distributionId !== undefined && !/^[A-Z0-9]{1,128}$/.test(distributionId)) {
    issues.push('DISTRIBUTION_ID: not a CloudFront distribution id (capital letters and digits)');
  }
  if (issues.length > 0) {
    throw new Error(
      `publisher environment is incomplete (${issues.join('; ')}): set it in the stack or the shell`,
    );
  }
  const prefix = env.CONTENT_PREFIX ?? 'content/';
  return {
    CONTENT_BUCKET: env.CONTENT_BUCKET as string,
    SITE_BUCKET: env.SITE_BUCKET as string,
    CONTENT_PREFIX: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    SITE_URL: siteUrl,
    DISTRIBUTION_ID: distributionId,
  };
}
