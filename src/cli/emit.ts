/**
 * Writing a report from the CLI: format it, check it against a truth file when asked, and say
 * on stderr how many true values the intervals cover (and which they miss).
 */
import { readTruthCsv } from '../ingest/tables.js';
import { formatReport } from '../report/formats.js';
import type { ReportRow } from '../report/rows.js';
import { summariseTruth, truthTable, type TruthTable } from '../report/truth.js';
import { reportFormatFrom, writeOutput, type ReportOptionArgs } from './options.js';

export async function emitReport(rows: readonly ReportRow[], facetNames: readonly string[], args: ReportOptionArgs): Promise<void> {
  const truth: TruthTable | undefined = args.truth !== undefined ? truthTable(await readTruthCsv(args.truth, facetNames)) : undefined;
  await writeOutput(args.out, await formatReport(rows, reportFormatFrom(args), { facetNames, truth }));
  if (truth !== undefined) process.stderr.write(truthLine(rows, truth));
}

function truthLine(rows: readonly ReportRow[], truth: TruthTable): string {
  const s = summariseTruth(rows, truth);
  const estimated = s.checked - s.exactRows;
  const coveredEstimated = s.covered - (s.exactRows - s.exactMismatches);
  const lines = [
    `reachtree: truth check: ${s.covered} of ${s.checked} true values inside their 95% interval` +
      ` (${s.exactRows} exact rows, ${s.exactMismatches} wrong; ${coveredEstimated} of ${estimated} estimated rows covered` +
      `${estimated > 0 ? `, ${((100 * coveredEstimated) / estimated).toFixed(1)}%` : ''})` +
      (s.unchecked > 0 ? `; ${s.unchecked} rows have no truth entry` : ''),
  ];
  for (const row of s.outside) {
    lines.push(`reachtree:   outside: ${row.level} ${row.code} ${row.facets.join('/')}: estimate ${Math.round(row.unique)} [${Math.floor(row.low)}, ${Math.ceil(row.high)}]`);
  }
  return `${lines.join('\n')}\n`;
}
