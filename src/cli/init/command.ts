// `last-mile init`: reads the options, asks detect.ts what the tree holds and starter.ts for the
// files, refuses to overwrite without --force, writes them (or prints them with --dry-run) and
// says what it found and what to do next.
import { lstatSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, parseCommand } from '../args';
import { detect } from './detect';
import { MANIFEST_PATH, evalSource, oneLine, pct, slug, starterFiles, withThresholds } from './starter';
import type { Facts } from './starter';
import { pickSummary } from './thresholds';

export const INIT_HELP = `Usage: last-mile init [options]

Writes a starter readiness manifest (lastmile.yml), policy (.github/lastmile-policy.yml) and
workflow (.github/workflows/last-mile.yml), filled from what it finds: the repository name, the
owner in CODEOWNERS, and eval outputs already in the tree (promptfoo, lm-eval, inspect, DeepEval,
samples JSONL, Last Mile summaries) with their metrics. Each metric's threshold is the policy's
floor where it sets one, else what the evidence found clears at the policy's confidence (the lower
bound, rounded down; the upper for errors and latencies), marked for the team to review. What it
cannot know is left as commented TODOs, so the starter validates but is honestly "not ready" until
the team fills them in. A valid policy already in the tree is kept, and its floors and confidence
apply. Never overwrites an existing file without --force.

Options:
  --cwd <dir>      the repository root (default: the current directory)
  --system <id>    the system id, [a-z0-9-]+ (default: the repository name)
  --force          overwrite files that already exist
  --dry-run        print what it would write, write nothing (with --force, also for files
                   that exist)
  -h, --help       show this help
`;

export async function init(argv: string[], out: (s: string) => void, _env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseCommand({
    args: argv,
    options: {
      cwd: { type: 'string' },
      system: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }).values;
  if (args.help) {
    out(INIT_HELP);
    return 0;
  }
  const root = path.resolve(args.cwd ?? '.');
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`--cwd ${args.cwd ?? '.'}: not a directory`);
  if (args.system !== undefined && !/^[a-z0-9-]+$/.test(args.system)) {
    const suggestion = slug(args.system);
    throw new UsageError(`--system: expected an id of lowercase letters, digits and "-", found "${args.system}"${suggestion ? ` (try --system ${suggestion})` : ''}`);
  }

  const facts = withThresholds(await detect(root, args.system, args.force === true));
  const files = starterFiles(facts);

  const existing = files.filter((f) => exists(path.join(root, f.rel)));
  if (existing.length > 0 && !args.force) {
    out(
      `last-mile init: not writing anything: ${existing.map((f) => f.rel).join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}.\n` +
        `Use --force to overwrite ${existing.length === 1 ? 'it' : 'them'} (or --dry-run --force to see what would be written).\n`,
    );
    return 1;
  }

  out(summary(facts));
  if (args['dry-run']) {
    for (const f of files) {
      const verb = existing.includes(f) ? 'would overwrite' : 'would write';
      out(`\n--- ${f.rel} (${verb}) ---\n${f.text}`);
    }
    out('\nDry run: nothing was written.\n');
    return 0;
  }
  for (const f of files) {
    const abs = path.join(root, f.rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    // --force replaces a symlink with a file rather than writing through it (possibly outside the tree).
    if (existing.includes(f) && lstatSync(abs).isSymbolicLink()) unlinkSync(abs);
    writeFileSync(abs, f.text);
    out(`${existing.includes(f) ? 'overwrote' : 'wrote'} ${f.rel}\n`);
  }
  out(nextSteps(facts));
  return 0;
}

function summary(f: Facts): string {
  const lines = [`last-mile init: system "${f.system}" (from ${f.systemFrom})`, `  ${f.ownerNote}`];
  if (f.evals.length > 0) {
    lines.push(`  evals: ${f.evals.length} eval output${f.evals.length === 1 ? '' : 's'} found`);
    for (const [i, e] of f.evals.entries()) {
      lines.push(`    ${e.path} (${e.format}, ${evalSource(e.path)})`);
      for (const p of f.thresholds[i]?.picks ?? []) lines.push(`      ${oneLine(pickSummary(p))}`);
    }
    const all = f.thresholds.flatMap((t) => t.picks);
    const fromEvidence = all.filter((p) => p.bar && p.bar.origin !== 'floor').length;
    const fromFloors = all.filter((p) => p.bar?.origin === 'floor').length;
    if (fromEvidence + fromFloors > 0) {
      const parts = [
        fromEvidence > 0 ? `${fromEvidence} from what the evidence clears at ${pct(f.policy.policy.evals.confidence)} confidence` : '',
        fromFloors > 0 ? `${fromFloors} from the policy's floors` : '',
      ].filter(Boolean);
      lines.push(`  thresholds: ${parts.join(', ')}; each is marked "review" in ${MANIFEST_PATH}: set the bar the business needs`);
    }
    if (all.some((p) => !p.bar)) {
      const none = all.filter((p) => !p.bar).length;
      lines.push(`  ${none} metric${none === 1 ? '' : 's'} without a defensible threshold ${none === 1 ? 'is' : 'are'} left as ${none === 1 ? 'a comment' : 'comments'} in ${MANIFEST_PATH}`);
    }
  } else {
    lines.push('  evals: no eval output of a supported format found');
  }
  if (f.policyNote) lines.push(`  ${f.policyNote}`);
  for (const u of f.unreadable) lines.push(`  skipped ${u.path}: looks like ${u.format} but cannot be read: ${oneLine(u.message)}`);
  if (f.searchNote) lines.push(`  note: ${f.searchNote}`);
  lines.push(`  default branch: ${f.defaultBranch} (${f.defaultBranchFrom})`);
  return `${lines.join('\n')}\n`;
}

function nextSteps(f: Facts): string {
  return `
Next steps:
  1. Fill in the TODOs in ${MANIFEST_PATH}${f.owner ? '' : ' (start with owner.team: the ownership gate fails until it is set)'} and review the eval thresholds (each marked "review").
  2. See the gates for this branch (add --branch release/1.0 for what production still needs):
       npx --yes github:last-mile/last-mile#v1 check    today (not on npm yet; Node 20+)
       npx last-mile check                              once published on npm
  3. Commit the files; make the "Last Mile" job a required status check on release/**.
`;
}

function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}
