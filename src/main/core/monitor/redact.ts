/** Whole words that name a secret (`api_key`, `mqttPassword`, `PSK`, `--token`). */
const SECRET_WORDS = new Set([
  'pass',
  'passwd',
  'password',
  'passwords',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'psk',
  'key',
  'keys',
  'credential',
  'credentials',
]);
/** Run-together names that end in a secret word (`mqttpassword`, `authtoken`, `apikey`). */
const SECRET_ENDINGS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'psk', 'apikey'];

/** Does a key name say its value is a secret? By words, so `keyboard` and `passenger` are not. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some((w) => SECRET_WORDS.has(w) || SECRET_ENDINGS.some((e) => w.endsWith(e)));
}

const MARK = '[REDACTED]';
const done = (v: string) => v.replace(/^["']|["']$/g, '') === MARK || v === '';
const hide = (v: string) => (/^["']/.test(v) ? `${v[0]}${MARK}${v[0]}` : MARK);

/** `name: value` or `name = value` opening a line (YAML, INI, .env): the value is the rest. */
const LINE_PAIR =
  /^(\s*(?:-\s+)?(?:export\s+)?(["']?)([A-Za-z_][\w.-]*)\2\s*[:=]\s*)(.*?)(\s*,?\s*)$/;
/** A pair anywhere in a line: JSON members, `k=v` in log lines, `--flag=value`. */
const ANY_PAIR =
  /(["']?)\b([A-Za-z_][\w.-]*)\1(\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;&}\]"']+)/g;
/** A command-line flag and its value after a space (`--secret s3kr1t`). */
const FLAG_SPACE = /(--?)([A-Za-z][\w-]*)(\s+)("[^"]*"|'[^']*'|[^\s"'-]\S*)/g;
/** Another pair later in a value means the line holds several: redact them one by one. */
const MORE_PAIRS = /\s[A-Za-z_][\w.-]*\s*[:=]/;

function redactLine(line: string, count: () => void): string {
  const m = LINE_PAIR.exec(line);
  if (m && isSecretName(m[3]!) && !done(m[4]!) && !MORE_PAIRS.test(m[4]!)) {
    count();
    return `${m[1]}${hide(m[4]!)}${m[5]}`;
  }
  const pairs = line.replace(ANY_PAIR, (all, q: string, name: string, sep: string, v: string) => {
    if (!isSecretName(name) || done(v)) return all;
    count();
    return `${q}${name}${q}${sep}${hide(v)}`;
  });
  return pairs.replace(FLAG_SPACE, (all, dash: string, name: string, sp: string, v: string) => {
    if (!isSecretName(name) || done(v)) return all;
    count();
    return `${dash}${name}${sp}${hide(v)}`;
  });
}

/**
 * Remove secrets from text before it leaves the gateway in a debug bundle, wherever they stand:
 * private key blocks (also escaped inside JSON), bearer and basic credentials, passwords in
 * URLs, and the value of any pair whose name says it is a secret, in JSON, YAML, INI, `k=v`
 * (log lines, environments) and command-line flags. Returns the text and how many values
 * were removed.
 */
export function redact(text: string): { text: string; count: number } {
  let count = 0;
  const counted = () => {
    count++;
  };
  let out = text.replace(
    /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g,
    (_m, kind: string) => {
      counted();
      return `-----BEGIN ${kind}----- ${MARK} -----END ${kind}-----`;
    },
  );
  out = out.replace(/\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)/g, (_m, kind, sp) => {
    counted();
    return `${kind}${sp}${MARK}`;
  });
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)([^\s@/]+)@/gi, (_m, head: string) => {
    counted();
    return `${head}${MARK}@`;
  });
  out = out
    .split('\n')
    .map((line) => redactLine(line, counted))
    .join('\n');
  return { text: out, count };
}
