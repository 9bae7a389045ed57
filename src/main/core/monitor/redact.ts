/** What names a secret in a configuration line. */
const SECRET_KEY =
  /(pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|auth[_-]?key|psk|credential)/i;

/**
 * Remove secrets from a configuration file's text before it leaves the gateway in a bundle:
 * private key blocks, and the value of any `name = value`, `name: value` or JSON pair whose
 * name says it is a secret. Returns the text and how many secrets were removed.
 */
export function redact(text: string): { text: string; count: number } {
  let count = 0;
  let out = text.replace(
    /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g,
    (_m, kind: string) => {
      count++;
      return `-----BEGIN ${kind}-----\n[REDACTED by Rigger]\n-----END ${kind}-----`;
    },
  );
  out = out
    .split('\n')
    .map((line) => {
      const m = /^(\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*)(.*?)(\s*,?\s*)$/.exec(
        line,
      );
      if (!m || !SECRET_KEY.test(m[2]!) || !m[3]) return line;
      count++;
      const quoted = /^["'].*["']$/.test(m[3]) ? '"[REDACTED]"' : '[REDACTED]';
      return `${m[1]}${quoted}${m[4]}`;
    })
    .join('\n');
  return { text: out, count };
}
