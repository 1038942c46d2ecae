import { z } from 'zod';

const envSchema = z.object({
  CONTENT_BUCKET: z.string().min(3),
  SITE_BUCKET: z.string().min(3),
  CONTENT_PREFIX: z
    .string()
    .default('content/')
    .transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`)),
  SITE_URL: z.url().optional(),
});

export type PublisherEnv = z.output<typeof envSchema>;

/** Reads the Lambda's settings once, at cold start: a missing bucket fails the deploy's first invoke, loudly. */
export function readPublisherEnv(env: NodeJS.ProcessEnv): PublisherEnv {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`publisher environment is incomplete (${detail}): set it in the stack or the shell`);
  }
  return result.data;
}
