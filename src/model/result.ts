// One gate's result: what every renderer and the report JSON are made of.
import type { GateId } from './catalogue';

export type Outcome = 'pass' | 'fail' | 'inconclusive' | 'waived' | 'skipped';

export interface Location {
  file: string;
  line: number;
  column?: number;
}

export interface WaiverNote {
  reason: string;
  approved_by: string;
  expires_on: string;
  verified_by: string;
}

export interface GateResult {
  id: GateId;
  outcome: Outcome;
  /** One line: what was found. */
  reason: string;
  /** One line: how to fix it. */
  fix?: string;
  location?: Location;
  /** Further lines (each missing key, each uncovered metric, each finding). */
  details?: string[];
  /** Approvers who can settle it (a sign-off's), as the policy writes them; the owning team is on the SystemReport. */
  who?: string[];
  waiver?: WaiverNote;
}
