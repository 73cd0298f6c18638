/**
 * The error a dependency-file parser throws for a file its own tool would refuse (a
 * pyproject.toml that is not TOML): the scan reports the file, never skips it.
 */
export class DependencyFileError extends Error {
  constructor(
    /** The format the file should be in, e.g. `TOML`. */
    readonly format: string,
    /** Why it is not, e.g. `illegal character in key`. */
    readonly reason: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based. */
    readonly column: number,
  ) {
    super(`not valid ${format} (line ${line}, column ${column}: ${reason})`);
    this.name = 'DependencyFileError';
  }
}
