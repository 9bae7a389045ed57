/** Now, as the ISO-8601 UTC string every record and answer uses. */
export function nowIso(): string {
  return new Date().toISOString();
}
