#!/usr/bin/env node
/**
 * reachtree command line: yargs wiring only. Each command lives in `commands/`, does its work
 * through the library and returns; this file is the one place that turns errors into messages
 * and exit codes (`exitCodeFor`), so a user never sees a stack trace for a problem they can fix.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { exitCodeFor, isReachtreeError } from '../errors.js';
import { commands } from './commands/index.js';
import { protectDashes } from './options.js';

export async function main(argv: readonly string[]): Promise<number> {
  const cli = yargs(protectDashes(argv))
    .scriptName('reachtree')
    .usage('$0 <command> [options]\n\nUnique people behind subscriptions, per territory, with HyperLogLog sketches compatible with PostgreSQL hll.')
    .strict()
    .demandCommand(1, 'Name a command; `reachtree --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      // Argument errors from yargs: re-thrown as usage errors and reported below.
      throw error ?? new UsageError(message);
    });
  for (const command of commands) cli.command(command);
  try {
    await cli.parseAsync();
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    return reportError(error);
  }
}

class UsageError extends Error {}

function reportError(error: unknown): number {
  if (isReachtreeError(error)) {
    process.stderr.write(`reachtree: error [${error.code}]: ${error.message}\n`);
    if (error.detail !== undefined) process.stderr.write(`${error.detail}\n`);
    return exitCodeFor(error.code);
  }
  if (error instanceof UsageError) {
    process.stderr.write(`reachtree: ${error.message}\nRun with --help for usage.\n`);
    return 2;
  }
  process.stderr.write(`reachtree: unexpected failure (a bug — please report it with this output):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

process.exitCode = await main(hideBin(process.argv));
