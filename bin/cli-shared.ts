import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in how the command was called: printed with the usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What a command module exports: run with the arguments after the command name, resolve to the exit code. */
export type CommandRunner = (args: string[]) => Promise<number>;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` with its TypeErrors (unknown option, missing value) turned into UsageErrors, so that a typo
 * prints the usage instead of a stack trace.
 */
export function parseCommandArgs<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    // Node adds how to pass a positional that starts with '-': no file name here does.
    if (code.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError(
        (error as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, ''),
      );
    throw error;
  }
}

/** Text for the terminal: "1 article", "2 articles". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** A failure the user can fix, already worded for them: printed without a stack trace, exit 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}
