// The README's generated blocks (gate catalogue, built-in policy) must match the code.
// Regenerate with LASTMILE_UPDATE_DOCS=1 npx vitest run test/docs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGateCatalogue } from '../../src/core/gates/docs';
import { DEFAULT_POLICY_YAML, defaultPolicy } from '../../src/config/policy/default';
import { parsePolicy } from '../../src/config/policy/parse';
import { parseManifest } from '../../src/config/manifest/parse';

const README = path.resolve(import.meta.dirname, '..', '..', 'README.md');

function blocks(): Record<string, string> {
  return { gates: renderGateCatalogue(), 'default-policy': `\`\`\`yaml\n${DEFAULT_POLICY_YAML}\`\`\`` };
}

function regenerate(md: string): string {
  let out = md;
  for (const [name, body] of Object.entries(blocks())) {
    const re = new RegExp(`(<!-- generated:${name}:start -->\\n)[\\s\\S]*?(<!-- generated:${name}:end -->)`);
    out = out.replace(re, `$1${body}\n$2`);
  }
  return out;
}

describe('README', () => {
  it('has the generated gate catalogue and default policy', () => {
    const md = readFileSync(README, 'utf8');
    if (process.env.LASTMILE_UPDATE_DOCS === '1') writeFileSync(README, regenerate(md));
    expect(readFileSync(README, 'utf8')).toBe(regenerate(md));
  });

  it('shows the built-in default exactly as the code applies it', () => {
    const parsed = parsePolicy(DEFAULT_POLICY_YAML, 'README', 'main');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.policy).toEqual(defaultPolicy('main'));
  });

  it('opens with the workflow snippet and then the two set-up commands', () => {
    const md = readFileSync(README, 'utf8');
    const snippet = md.indexOf('```yaml\n# .github/workflows/last-mile.yml');
    expect(snippet).toBeGreaterThan(0);
    expect(md.indexOf('`npm run demo`')).toBeGreaterThan(snippet);
    expect(md.indexOf('`npm ci && npm test`')).toBeGreaterThan(snippet);
  });

  it('shows a manifest example that validates', () => {
    const md = readFileSync(README, 'utf8');
    const start = md.indexOf('```yaml', md.indexOf('### The manifest'));
    const yaml = md.slice(md.indexOf('\n', start) + 1, md.indexOf('```', start + 7));
    const parsed = parseManifest(yaml, 'README.md');
    expect(parsed.documentErrors).toEqual([]);
    expect(parsed.sectionErrors).toEqual({});
    expect(parsed.manifest.signoffs).toHaveLength(2);
  });
});
