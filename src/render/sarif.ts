// Report → SARIF 2.1.0 for GitHub code scanning (the `sarif` output, SPEC §7).
//
// One rule per gate of the catalogue (whether or not it ran) and one result per failing or
// inconclusive gate, located at the line the gate concerns. The properties follow GitHub's
// "SARIF support for code scanning" reference: rules carry shortDescription, fullDescription,
// help (text and markdown), helpUri and properties.tags / precision / problem.severity; results
// carry ruleId, level, message.text, one location and partialFingerprints.
//
// Fingerprint rule (`lastMileGate/v1`): sha256 over, joined by NUL,
//   "lastMileGate/v1", the system id ("" for repository gates), the gate id, and the reason key:
//   the first line of the reason, lowercased, every number replaced by `#` (a run of digits
//   joined by `.` `,` `:` `-` `/`, with an optional sign: 23, 0.81, -0.05, 12:30, 2026-01-02),
//   a plural `s` dropped from words of four letters or more, whitespace collapsed.
// So "waiting 23 days" and "waiting 24 days", "1 error" and "2 errors", "expired 2026-01-02" and
// "expired 2026-02-03" give the same fingerprint, while a different kind of failure of the same
// gate (another missing key, another file) gives a new one. The location does not enter it:
// editing the manifest above the failing key does not reopen the alert. GitHub's alert matching
// reads only `partialFingerprints.primaryLocationLineHash`, so the same hash is written there
// too (as `<first 16 hex>:1`, the shape upload-sarif uses); otherwise upload-sarif would hash
// the text around the line, which changes whenever the top of the manifest is edited.
// `github/codeql-action/upload-sarif` keeps a fingerprint it finds and logs a warning
// ("found existing inconsistent fingerprint value") for each result; that warning is expected.
import { GATES } from '../model/catalogue';
import type { GateInfo } from '../model/catalogue';
import type { GateResult } from '../core/types';
import { areaOf, blocking } from './counts';
import { sha256Hex } from '../lib/digest';
import type { Report } from '../model/report';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const LAST_MILE_URI = 'https://github.com/last-mile/last-mile';
export const FINGERPRINT_KEY = 'lastMileGate/v1';
export const DEFAULT_POLICY_FILE = '.github/lastmile-policy.yml';
const MAX_DETAIL_LINES = 20;
const MAX_DESCRIPTION = 1024; // GitHub's limit for shortDescription and fullDescription

export interface SarifOptions {
  /** The action's version (package.json), shown by code scanning to tell tool updates apart. */
  toolVersion: string;
  /** The tool's home page; default https://github.com/last-mile/last-mile. */
  informationUri?: string;
  /** Where the README lives; each rule's helpUri is `${helpBase}#gate-catalogue`. Default: informationUri. */
  helpBase?: string;
  /** Repo-relative policy path, where repository gates without a location point. Default `.github/lastmile-policy.yml`. */
  policyFile?: string;
  /** For `versionControlProvenance`; default https://github.com (GITHUB_SERVER_URL on GHES). */
  serverUrl?: string;
}

type Level = 'error' | 'warning' | 'note' | 'none';

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: Level };
  help: { text: string; markdown: string };
  helpUri: string;
  properties: { tags: string[]; precision: string; 'problem.severity': string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: Level;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number; startColumn?: number };
    };
  }[];
  partialFingerprints: Record<string, string>;
  properties: { system?: string; outcome: string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion?: string; informationUri: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    versionControlProvenance?: { repositoryUri: string; revisionId?: string; branch?: string }[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: Level; message: { text: string } }[] }[];
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
    properties: { verdict: string; stage: string; branch: string; enforce: string };
  }[];
}

/** The part of a reason that identifies the kind of failure (see the fingerprint rule above). */
export function reasonKey(reason: string): string {
  const first = reason.split(/\r?\n/, 1)[0] ?? '';
  return first
    .toLowerCase()
    .replace(/[-+]?\d+(?:[-.,:/]\d+)*/g, '#')
    .replace(/\b([a-z]{3,})s\b/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `lastMileGate/v1`: stable across runs for the same failure of the same gate of the same system. */
export function gateFingerprint(system: string, gateId: string, reason: string): string {
  return sha256Hex([FINGERPRINT_KEY, system, gateId, reasonKey(reason)].join('\u0000'));
}

export function renderSarif(report: Report, opts: SarifOptions): SarifLog {
  const informationUri = opts.informationUri ?? LAST_MILE_URI;
  const helpUri = `${(opts.helpBase ?? informationUri).replace(/#.*$/, '')}#gate-catalogue`;
  const policyFile = opts.policyFile ?? DEFAULT_POLICY_FILE;
  const rules = GATES.map((g): SarifRule => rule(g, helpUri));
  const ruleIndex = new Map<string, number>(rules.map((r, i) => [r.id, i]));

  const results: SarifResult[] = [];
  const add = (g: GateResult, system: string, fallbackFile: string) => {
    if (!blocking(g)) return;
    const location = g.location && g.location.file ? g.location : { file: fallbackFile, line: 1 };
    const region: { startLine: number; startColumn?: number } = { startLine: Math.max(1, Math.trunc(location.line) || 1) };
    if (location.column !== undefined && location.column >= 1) region.startColumn = Math.trunc(location.column);
    const fingerprint = gateFingerprint(system, g.id, g.reason);
    const index = ruleIndex.get(g.id);
    results.push({
      ruleId: g.id,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: g.outcome === 'fail' && report.enforce === 'block' ? 'error' : 'warning',
      message: { text: messageText(g, system) },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(location.file), region } }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint, primaryLocationLineHash: `${fingerprint.slice(0, 16)}:1` },
      properties: { ...(system ? { system } : {}), outcome: g.outcome },
    });
  };
  for (const g of report.repositoryGates) add(g, '', policyFile);
  for (const s of report.systems) for (const g of s.gates) add(g, s.system, s.manifest);

  const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(opts.toolVersion);
  const serverUrl = (opts.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Last Mile',
            version: opts.toolVersion,
            ...(semver ? { semanticVersion: opts.toolVersion } : {}),
            informationUri,
            rules,
          },
        },
        automationDetails: { id: `last-mile/${report.stage}/` },
        ...(report.repository
          ? {
              versionControlProvenance: [
                {
                  repositoryUri: `${serverUrl}/${report.repository}`,
                  ...(report.headSha ? { revisionId: report.headSha } : {}),
                  ...(report.branch ? { branch: report.branch } : {}),
                },
              ],
            }
          : {}),
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            ...(report.errors.length > 0
              ? { toolExecutionNotifications: report.errors.map((e) => ({ level: 'error' as const, message: { text: e } })) }
              : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
        properties: { verdict: report.verdict, stage: report.stage, branch: report.branch, enforce: report.enforce },
      },
    ],
  };
}

function rule(g: GateInfo, helpUri: string): SarifRule {
  const waiver = g.waivable ? 'A verified, unexpired waiver in the manifest can cover it.' : 'No waiver can cover it.';
  return {
    id: g.id,
    name: g.id
      .split(/[^A-Za-z0-9]+/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: clip(g.title, MAX_DESCRIPTION) },
    fullDescription: { text: clip(g.checks, MAX_DESCRIPTION) },
    defaultConfiguration: { level: 'error' },
    help: {
      text: `${g.checks}\n\nHow to fix: ${g.fix}\n\n${waiver}\n\nGate catalogue: ${helpUri}`,
      markdown: `**What it checks:** ${g.checks}\n\n**How to fix:** ${g.fix}\n\n${waiver}\n\nSee the [gate catalogue](${helpUri}).`,
    },
    helpUri,
    properties: {
      tags: ['last-mile', 'ai-readiness', g.area ?? areaOf(g.id)],
      precision: 'very-high',
      'problem.severity': 'error',
    },
  };
}

function messageText(g: GateResult, system: string): string {
  const lines = [`${system ? `${system}: ` : ''}${g.outcome === 'inconclusive' ? 'inconclusive: ' : ''}${g.reason}`];
  if (g.fix) lines.push(`Fix: ${g.fix}`);
  const details = g.details ?? [];
  for (const d of details.slice(0, MAX_DETAIL_LINES)) lines.push(`- ${d}`);
  if (details.length > MAX_DETAIL_LINES) lines.push(`- … and ${details.length - MAX_DETAIL_LINES} more`);
  return lines.join('\n');
}

/** A repo-relative posix path as a relative URI reference under %SRCROOT% (segments percent-encoded). */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const posix = file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
  const uri = posix.split('/').map(encodeURIComponent).join('/');
  return posix.startsWith('/') ? { uri: `file://${uri}` } : { uri, uriBaseId: '%SRCROOT%' };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
