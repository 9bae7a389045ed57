import { SemVer, compare, eq, gte, lt } from 'semver';
import { versionString } from '../../../shared/images';

/**
 * A version as IMAGE-BUNDLE.md writes it, `vX.Y.Z` or `vX.Y.Z-pre` (the `v` optional), read by
 * semver. The coercion is only that: the shape is the shared schema's (so no build metadata, no
 * range, no `=`), and semver's loose grammar reads it (it drops the `v` and, as the bundles'
 * schema allows, takes leading zeros). Anything else is not a version: null.
 */
export function parseVersion(s: string): SemVer | null {
  const t = s.trim();
  if (!versionString.safeParse(t).success) return null;
  try {
    return new SemVer(t, { loose: true });
  } catch {
    return null;
  }
}

/**
 * <0, 0, >0 as a is older, equal, newer than b, by semver precedence (a release ranks above its
 * pre-releases). A string that is not a version ranks below every version, and two such strings
 * by their plain text, so a sort never throws and always gives the same order.
 */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (va && vb) return compare(va, vb);
  if (va) return 1;
  if (vb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Does `current` meet one prerequisite: `vX.Y.Z+` (at least), `vX.Y.Z` (exactly), `<vX.Y.Z` (below)? */
export function meets(current: string, prerequisite: string): boolean {
  const p = prerequisite.trim();
  const below = p.startsWith('<');
  const atLeast = !below && p.endsWith('+');
  const wanted = parseVersion(below ? p.slice(1) : atLeast ? p.slice(0, -1) : p);
  const have = parseVersion(current);
  if (!wanted || !have) throw new Error(`not a version: ${!have ? current : prerequisite}`);
  if (below) return lt(have, wanted);
  return atLeast ? gte(have, wanted) : eq(have, wanted);
}

/** Does `current` meet every prerequisite? An unparsable current version meets none. */
export function meetsAll(current: string | null, prerequisites: string[]): boolean {
  if (!prerequisites.length) return true;
  if (!current || !parseVersion(current)) return false;
  return prerequisites.every((p) => meets(current, p));
}
