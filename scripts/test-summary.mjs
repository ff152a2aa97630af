// Prints one closing line, "N passed, N failed, N skipped", from the Vitest and Playwright JSON reports,
// and exits non-zero when a report is missing, a test failed, or no test ran at all.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if ('numPassedTests' in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed (Vitest)`);
  } else {
    const { expected = 0, unexpected = 0, flaky = 0, skipped: s = 0 } = report.stats ?? {};
    passed += expected + flaky;
    failed += unexpected;
    skipped += s;
    console.log(`${file}: ${expected + flaky} passed, ${unexpected} failed (Playwright)`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
