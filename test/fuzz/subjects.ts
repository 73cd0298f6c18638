// What the fuzz properties start from and check against: valid documents and the shape of errors.
import { expect } from 'vitest';
import type { ConfigError } from '../../src/config/yaml';
import { FULL_MANIFEST } from '../helpers/fixtures';
import { lineCount } from './fuzz';

/** SPEC §2's manifest with every sign-off SPEC §3's policy requires approved: it passes on release/1.0. */
export const READY = FULL_MANIFEST.replace(
  /signoffs:[^]*?(?=monitoring:)/,
  `signoffs:
  - kind: security
    status: approved
    approved_by: alice
    approved_on: 2026-10-02
    expires_on: 2027-04-01
  - kind: data-governance
    status: approved
    approved_on: 2026-11-03
  - kind: compliance
    status: approved
    approved_on: 2026-11-03
  - kind: identity
    status: approved
    approved_on: 2026-11-03
  - kind: business-owner
    status: approved
    approved_on: 2026-11-03
`,
);

/** Asserts that a configuration error is structured: file, a line and column inside the text, what was expected and found. */
export function expectStructured(e: ConfigError, file: string, text: string): void {
  expect(e.file).toBe(file);
  expect(Number.isInteger(e.line), `line ${e.line}`).toBe(true);
  expect(e.line).toBeGreaterThanOrEqual(1);
  expect(e.line).toBeLessThanOrEqual(lineCount(text) + 1);
  expect(Number.isInteger(e.column) && e.column >= 1, `column ${e.column}`).toBe(true);
  expect(e.expected).not.toBe('');
  expect(e.found).not.toBe('');
  expect(e.message).not.toBe('');
}
