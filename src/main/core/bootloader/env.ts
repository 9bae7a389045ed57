/**
 * Parse `fw_printenv` / U-Boot `printenv` output into variables. Lines are `name=value`; the
 * value may itself hold `=`. U-Boot's printenv ends with an "Environment size" line, skipped.
 */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq);
    if (!/^[A-Za-z0-9_.:-]+$/.test(name)) continue;
    env[name] = line.slice(eq + 1);
  }
  return env;
}

/** A whole non-negative integer from an env value, or null. */
export function envInt(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return null;
  return Number.parseInt(value, 10);
}

/** libubootenv's `fw_setenv -s` script: `name=value` lines (U-Boot's own tools read `name value`). */
export function envScript(vars: Record<string, string>): string {
  return (
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n'
  );
}
