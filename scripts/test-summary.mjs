// Prints "N passed, M failed" from vitest's JSON report. A missing or unreadable report
// counts as one failure, so a crashed test run can never look green.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const passed = report.numPassedTests ?? 0;
  // Suites that failed to load have no tests but must still count as failures.
  const failedSuites = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
  ).length;
  const failed = (report.numFailedTests ?? 0) + failedSuites;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
} catch (err) {
  console.error(`cannot read the test report ${file}: ${err instanceof Error ? err.message : String(err)}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
