// Entry of the action (dist/index.js).
import { run } from './run';

await run();
