// Every CLI command, in the order `reachtree --help` lists them.
import type { CommandModule } from 'yargs';
import { buildCommand } from './build.js';
import { estimateCommand } from './estimate.js';
import { inspectCommand } from './inspect.js';
import { mergeCommand } from './merge.js';
import { reportCommand } from './report.js';
import { sampleCommand } from './sample.js';
import { sketchCommand } from './sketch.js';
import { tuneCommand } from './tune.js';
import { unionCommand } from './union.js';

export const commands: ReadonlyArray<CommandModule<object, never>> = [
  estimateCommand,
  buildCommand,
  mergeCommand,
  reportCommand,
  sampleCommand,
  sketchCommand,
  inspectCommand,
  unionCommand,
  tuneCommand,
] as unknown as ReadonlyArray<CommandModule<object, never>>;
