// A check-run annotation and the caps on how many one run sends (SPEC v2 §7.1): shared by the
// renderer that makes them and the GitHub adapter that sends them.

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

/** At most this many annotations per system (the repository's own gates count as one system). */
export const ANNOTATIONS_PER_SYSTEM = 50;
/** At most this many annotations per run. */
export const ANNOTATIONS_PER_RUN = 200;
