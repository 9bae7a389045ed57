import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create as createTar } from 'tar';

export interface ConsoleBundle {
  bundle_id: string;
  path: string;
  size: number;
  contents: string[];
  missing: Array<{ item: string; reason: string }>;
}

/**
 * A debug bundle from the serial console, for a gateway whose network is gone: everything the
 * console printed this session, U-Boot's environment when it is at the prompt, and a manifest
 * of what is inside and what could not be had.
 */
export async function writeConsoleBundle(opts: {
  port: string;
  gateway: string | null;
  capture: string;
  env: Record<string, string> | null;
  envMissing: string | null;
  dir: string;
}): Promise<ConsoleBundle> {
  const id = `debug-console-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const work = mkdtempSync(join(tmpdir(), 'rigger-console-debug-'));
  const members: string[] = [];
  const put = (name: string, text: string) => {
    mkdirSync(dirname(join(work, name)), { recursive: true });
    writeFileSync(join(work, name), text, 'latin1');
    members.push(name);
  };
  const missing: ConsoleBundle['missing'] = [];
  try {
    put('console/capture.log', opts.capture);
    if (opts.env) {
      put(
        'console/uboot-env.txt',
        Object.entries(opts.env)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n') + '\n',
      );
    } else missing.push({ item: 'U-Boot environment', reason: opts.envMissing ?? 'not read' });
    put(
      'manifest.json',
      JSON.stringify(
        {
          bundle_id: id,
          gateway: opts.gateway,
          connection: opts.port,
          created_at: new Date().toISOString(),
          members,
          missing,
        },
        null,
        2,
      ) + '\n',
    );
    mkdirSync(opts.dir, { recursive: true });
    const path = join(opts.dir, `${id}.tar.gz`);
    await createTar({ gzip: true, file: path, cwd: work, portable: true }, members);
    return {
      bundle_id: id,
      path,
      size: statSync(path).size,
      contents: ['Console capture', ...(opts.env ? ["U-Boot's environment"] : [])],
      missing,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
