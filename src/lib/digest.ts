// Content digests for the attestation and the SARIF fingerprints.
import { createHash } from 'node:crypto';

/**
 * Lowercase hex SHA-256. A string is hashed as UTF-8; to get the digest `sha256sum` prints for
 * a file, pass the file's bytes (a Buffer from `readFileSync(path)`), not its decoded text.
 */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
