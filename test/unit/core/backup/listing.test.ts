import { describe, expect, it } from 'vitest';
import { parseListing } from '../../../../src/main/core/backup/gateway-list';
import type { ManifestEntry } from '../../../../src/main/core/backup/manifest';
import { checkListing, memberPath } from '../../../../src/main/core/backup/tar-ingest';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

const file = (path: string, sha256: string): ManifestEntry => ({
  component: 'data',
  path,
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtime: 0,
  size: 1,
  sha256,
});

describe('the gateway listing', () => {
  it("reads BusyBox's and GNU's sha256sum lines, GNU's escaped names and missing paths", () => {
    const l = parseListing(
      [
        `${A}  /data/a b`,
        `\\${B}  /data/back\\\\slash\\nline`,
        `${A} */data/bin`,
        'M /data/gone',
        '',
      ].join('\n'),
    );
    expect([...l.files]).toEqual([
      ['/data/a b', A],
      ['/data/back\\slash\nline', B],
      ['/data/bin', A],
    ]);
    expect(l.missing).toEqual(['/data/gone']);
    expect(() => parseListing('garbage')).toThrow(/Unexpected line/);
  });

  it('checks the archive against it both ways', () => {
    const listed = new Map([
      ['/d/x', A],
      ['/d/y', B],
    ]);
    expect(() => checkListing([file('/d/x', A), file('/d/y', B)], listed)).not.toThrow();
    expect(() => checkListing([file('/d/x', A), file('/d/y', A)], listed)).toThrow(
      /\/d\/y does not match/,
    );
    expect(() => checkListing([file('/d/x', A)], listed)).toThrow(/did not come/);
    expect(() => checkListing([file('/d/x', A), file('/d/y', B), file('/d/z', A)], listed)).toThrow(
      /not in the listing/,
    );
  });

  it('maps tar member names to absolute gateway paths, refusing ..', () => {
    expect(memberPath('tmp/gw/data/x')).toBe('/tmp/gw/data/x');
    expect(memberPath('./data/dir/')).toBe('/data/dir');
    expect(() => memberPath('data/../../etc/passwd')).toThrow(/\.\./);
  });
});
