import type { Logger } from '../core/ports.ts';

/** Quiet, human lines for the CLI: warnings and errors always, info only when asked. */
export function consoleLogger(options: { verbose?: boolean } = {}): Logger {
  const line = (message: string, context?: Record<string, unknown>) =>
    context && Object.keys(context).length > 0 ? `${message} ${JSON.stringify(context)}` : message;
  return {
    debug: (m, c) => {
      if (options.verbose) console.error(line(m, c));
    },
    info: (m, c) => {
      if (options.verbose) console.error(line(m, c));
    },
    warn: () => {},
    error: (m, c) => console.error(line(m, c)),
  };
}
