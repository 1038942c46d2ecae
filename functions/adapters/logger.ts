import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../core/ports.ts';

/** The core's Logger over Powertools: structured JSON lines in CloudWatch. */
export function fromPowertools(logger: PowertoolsLogger): Logger {
  const level =
    (name: 'debug' | 'info' | 'warn' | 'error') => (message: string, context?: Record<string, unknown>) =>
      context ? logger[name](message, context) : logger[name](message);
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
