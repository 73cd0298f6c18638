// Entry of the action (dist/index.js).
import { run } from './run';
import { setFailed } from './runner';

try {
  await run();
} catch (err) {
  // run() turns every expected failure into a report; what reaches here (e.g. an unwritable
  // GITHUB_OUTPUT) still fails the job, as one line rather than a stack trace.
  setFailed(`Last Mile could not finish: ${err instanceof Error ? err.message : String(err)}`);
}
