// The terminal renderer (the action log, `last-mile check`): what a pull request wrote is shown
// with control characters escaped, and no line of the output is a workflow command.
import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../src/render/terminal';
import type { Report } from '../../src/model/report';
import { failingReport } from './reports';

const ESC = '\u001b';
const COLOURS = new RegExp(`${ESC}\\[(?:0|31|32|33|36|90)m`, 'g');

/** failingReport with hostile strings wherever a pull request's text can land. */
function hostileReport(): Report {
  const r = structuredClone(failingReport());
  r.errors = ['bad file\n::add-mask::hidden', `x ${ESC}]8;;https://evil.com${ESC}\\click`];
  r.notes = ['note\r::stop-commands::t'];
  const s = r.systems[0]!;
  s.system = '::error file=.github/workflows/x.yml::forged';
  s.manifest = 'svc/\u202egnp.yml';
  const g = s.gates.find((x) => x.outcome === 'fail')!;
  g.reason = `reason ${ESC}[2J${ESC}[8mhidden\n##[group]fake`;
  g.fix = 'fix\u2028::warning::x';
  g.details = ['::add-mask::detail', `\u009b31mC1`];
  g.location = { file: 'a\n::error::b.yml', line: 3 };
  s.evalTable = [{ metric: '::add-mask::metric', direction: 'min', curated: { value: 0.9 }, production: { value: 0.8 }, gap: 0.1, maxGap: 0.05 }];
  return r;
}

describe('renderTerminal with hostile strings', () => {
  for (const colour of [false, true]) {
    it(`${colour ? 'with' : 'without'} colour: no line starts a workflow command, no escape sequence but its own colours`, () => {
      const out = renderTerminal(hostileReport(), { colour, verbose: true });
      for (const line of out.split('\n')) {
        expect(line.replace(COLOURS, '').trimStart(), line).not.toMatch(/^(::|##\[)/);
        expect(line.replace(COLOURS, ''), line).not.toMatch(new RegExp(`[${ESC}\\r\\u0080-\\u009f\\u2028\\u202e]`));
      }
      // Still readable: the text is there, escaped.
      expect(out).toContain('bad file\\n::add-mask::hidden');
      expect(out).toContain('reason \\x1b[2J\\x1b[8mhidden\\n##[group]fake');
      expect(out).toContain('svc/\\u202egnp.yml');
      expect(out).toContain('(a\\n::error::b.yml:3)');
      expect(out).toContain('\\x3a:add-mask::metric: curated');
      expect(out).toContain('- \\x9b31mC1');
    });
  }

  it('a system name at the start of a line is guarded too', () => {
    const r = hostileReport();
    r.systems[0]!.system = 'x';
    r.systems[0]!.evalTable = [{ metric: ' ##[endgroup]', direction: 'min', curated: { value: 1 }, production: { value: 1 } }];
    expect(renderTerminal(r)).toContain('  \\x23#[endgroup]: curated');
  });
});
