/**
 * Loaded with `node --import` when GNU time is missing: reports the process's peak RSS (all
 * threads) on stderr at exit, in the line format `ingest-run.ts` looks for.
 */
process.on('exit', () => {
  process.stderr.write(`\nREACHTREE_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
