import { readFileSync } from 'node:fs';
import { utils } from 'ssh2';
import { RiggerError } from '../../../shared/errors';
import { keyFormatError } from './ssh-connect-error';

/** Private keys are a few KiB; a file far larger is not one. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * Read and parse a private key file before any connection, so each way it can be wrong gets its
 * own answer: unreadable, not a private key (a .pub, a .ppk, garbage), or protected by a
 * passphrase. A login refused later is then about the gateway's side, never the file.
 */
export function readPrivateKey(file: string, passphrase?: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new RiggerError(
      'AUTH_FAILED',
      `The key file ${file} cannot be read: ${(err as Error).message}`,
      { key_file: file, reason: 'key_unreadable' },
      ["Check the key file path in the gateway's settings", 'Check that your user may read it'],
    );
  }
  if (bytes.length > MAX_KEY_BYTES)
    throw keyFormatError(file, `${bytes.length} bytes is far larger than any private key`);
  const parsed = utils.parseKey(bytes, passphrase);
  if (parsed instanceof Error) {
    if (passphrase !== undefined && /passphrase|decrypt|integrity/i.test(parsed.message))
      throw new RiggerError(
        'AUTH_FAILED',
        `The passphrase given does not open the key file ${file}`,
        { key_file: file, reason: 'key_passphrase_wrong' },
        [
          "Check the key's passphrase in the gateway's settings (on the command line: rigger gateway edit NAME --key FILE --key-passphrase-env VAR)",
          'Check that it is the passphrase of this key file',
        ],
      );
    if (/passphrase/i.test(parsed.message))
      throw new RiggerError(
        'AUTH_FAILED',
        `The key file ${file} is protected by a passphrase, and none was given`,
        { key_file: file, reason: 'key_passphrase' },
        [
          "Enter the key's passphrase in the gateway's settings (on the command line: rigger gateway edit NAME --key FILE --key-passphrase-env VAR)",
        ],
      );
    throw keyFormatError(file, parsed.message);
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey())
    throw keyFormatError(file, 'it holds a public key only (the .pub half)');
  return bytes;
}

/** The reason word a key or login error carries (`details.reason`), if any. */
export function reasonOf(err: RiggerError): string | undefined {
  const r = err.details.reason;
  return typeof r === 'string' ? r : undefined;
}
