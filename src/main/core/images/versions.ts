/** Semantic versions with an optional leading `v` and `-suffix` pre-release (IMAGE-BUNDLE.md). */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string | null;
}

/** Parse "v5.0.5" / "5.1.0-custom"; null if it is not a version. */
export function parseVersion(s: string): Version | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(s.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? null };
}

/** Compare pre-release identifiers as semver does: numeric ones numerically, then lexically. */
function comparePre(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // a release ranks above its pre-releases
  if (b === null) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : null;
    const ny = /^\d+$/.test(y) ? Number(y) : null;
    if (nx !== null && ny !== null && nx !== ny) return nx - ny;
    if (nx !== null && ny === null) return -1;
    if (nx === null && ny !== null) return 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** <0, 0, >0 as a is older, equal, newer than b. Unparsable versions throw. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) throw new Error(`not a version: ${!va ? a : b}`);
  return (
    va.major - vb.major || va.minor - vb.minor || va.patch - vb.patch || comparePre(va.pre, vb.pre)
  );
}

/** Does `current` meet one prerequisite: `vX.Y.Z+` (at least), `vX.Y.Z` (exactly), `<vX.Y.Z` (below)? */
export function meets(current: string, prerequisite: string): boolean {
  const p = prerequisite.trim();
  if (p.startsWith('<')) return compareVersions(current, p.slice(1)) < 0;
  if (p.endsWith('+')) return compareVersions(current, p.slice(0, -1)) >= 0;
  return compareVersions(current, p) === 0;
}

/** Does `current` meet every prerequisite? An unparsable current version meets none. */
export function meetsAll(current: string | null, prerequisites: string[]): boolean {
  if (!prerequisites.length) return true;
  if (!current || !parseVersion(current)) return false;
  return prerequisites.every((p) => meets(current, p));
}
