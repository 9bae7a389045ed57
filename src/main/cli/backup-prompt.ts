import { RiggerError } from '../../shared/errors';
import { ask } from './ask';

export const PASSPHRASE_ENV = 'RIGGER_BACKUP_PASSPHRASE';

/** Read a line on the terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let text = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new RiggerError('VALIDATION_ERROR', 'Cancelled'));
        if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The CLI has no keychain: the backup passphrase comes from RIGGER_BACKUP_PASSPHRASE or, on a
 * terminal, is asked for (not echoed) and handed to the core through that variable.
 */
export async function ensurePassphrase(): Promise<void> {
  if (process.env[PASSPHRASE_ENV] || !process.stdin.isTTY) return;
  const p = await readHidden('Backup passphrase: ');
  if (p) process.env[PASSPHRASE_ENV] = p;
}

/** On a terminal, a question answered with the gateway's name; in scripts, --yes. */
export async function confirmRecovery(gateway: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY)
    throw new RiggerError('VALIDATION_ERROR', 'A recovery needs confirmation', {}, [
      'Look first with rigger backup recover GATEWAY BACKUP --preview, then pass --yes (the seed\'s "confirmation": true)',
    ]);
  const typed = await ask(`Paths on ${gateway} will be replaced. Type its name: `);
  if (typed !== gateway)
    throw new RiggerError('VALIDATION_ERROR', 'The name typed does not match: nothing was done');
}
