/**
 * Loaded with `node --import` when GNU time is missing: reports the process's peak RSS and CPU
 * time (all threads) on stderr at exit, in GNU time's `%M %U %S` units (KiB, seconds), on the line
 * `ingest-run.ts` looks for.
 */
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nREACHTREE_BENCH_RUSAGE=${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`);
});
