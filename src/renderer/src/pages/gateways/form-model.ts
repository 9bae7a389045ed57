import type { RiggerErrorData } from '../../../../shared/errors';
import type { ConnectionTestInput } from '../../../../shared/gateway-test';
import {
  gatewayAddSchema,
  gatewayEditSchema,
  type ConsoleAuth,
  type Connection,
  type Gateway,
  type GatewayAddInput,
  type GatewayEditInput,
  type SshAuth,
} from '../../../../shared/gateways';

/** How Rigger logs in: the contract's SSH and console login methods. */
export type AuthChoice = SshAuth['method'] | ConsoleAuth['method'];
/** How the gateway is reached: its network (SSH) or its console port (USB-to-serial). */
export type ViaChoice = Connection['type'];

/** The gateway form as typed: every field a string, as the inputs hold them. */
export interface GatewayForm {
  name: string;
  profile: string;
  via: ViaChoice;
  serialPort: string;
  baud: string;
  host: string;
  port: string;
  user: string;
  auth: AuthChoice;
  keyFile: string;
  /** Only for a key that has one; empty keeps a stored one. */
  keyPassphrase: string;
  /** A key passphrase read from this variable (set on the command line): kept, not shown. */
  keyPassphraseEnv: string;
  password: string;
  passwordEnv: string;
}

export type FormField = keyof GatewayForm;
export type FieldErrors = Partial<Record<FormField, string>>;

/** A new, empty form: port 22, key login. */
export const emptyForm = (profile = ''): GatewayForm => ({
  name: '',
  profile,
  via: 'ssh',
  serialPort: '',
  baud: '115200',
  host: '',
  port: '22',
  user: 'root',
  auth: 'key',
  keyFile: '',
  keyPassphrase: '',
  keyPassphraseEnv: '',
  password: '',
  passwordEnv: '',
});

/** The form filled from an existing gateway (a stored password is never shown). */
export function formFrom(g: Gateway): GatewayForm {
  const f = emptyForm(g.profile);
  f.name = g.name;
  if (g.connection.type === 'ssh') {
    const { host, port, user, auth } = g.connection;
    Object.assign(f, { host, port: String(port), user, auth: auth.method });
    if (auth.method === 'key') {
      f.keyFile = auth.key_file;
      f.keyPassphraseEnv = auth.passphrase_env ?? '';
    }
    if (auth.method === 'password-env') f.passwordEnv = auth.password_env;
  } else {
    const { port, baud, user, auth } = g.connection;
    Object.assign(f, {
      via: 'serial',
      serialPort: port,
      baud: String(baud),
      user,
      auth: auth.method,
    });
    if (auth.method === 'password-env') f.passwordEnv = auth.password_env;
  }
  return f;
}

/** The console login the form describes (a serial console has no key). */
function consoleAuthOf(f: GatewayForm) {
  if (f.auth === 'password-env')
    return { method: 'password-env' as const, password_env: f.passwordEnv.trim() };
  if (f.auth === 'password')
    return { method: 'password' as const, ...(f.password ? { password: f.password } : {}) };
  return { method: 'none' as const };
}

/** The connection the form describes. An empty password means "keep the stored one". */
function connectionOf(f: GatewayForm): GatewayAddInput['connection'] {
  if (f.via === 'serial') {
    const baud = f.baud.trim();
    return {
      type: 'serial',
      port: f.serialPort.trim(),
      baud: /^\d+$/.test(baud) ? Number(baud) : Number.NaN,
      user: f.user.trim(),
      auth: consoleAuthOf(f),
    };
  }
  // A passphrase typed here replaces one read from a variable.
  const keptEnv = f.keyPassphrase ? '' : f.keyPassphraseEnv;
  const auth =
    f.auth === 'key'
      ? {
          method: 'key' as const,
          key_file: f.keyFile.trim(),
          ...(f.keyPassphrase ? { passphrase: f.keyPassphrase } : {}),
          ...(keptEnv ? { passphrase_env: keptEnv } : {}),
        }
      : f.auth === 'password-env'
        ? { method: 'password-env' as const, password_env: f.passwordEnv.trim() }
        : f.auth === 'password'
          ? { method: 'password' as const, ...(f.password ? { password: f.password } : {}) }
          : { method: 'key' as const, key_file: '' };
  const port = f.port.trim();
  return {
    type: 'ssh',
    host: f.host.trim(),
    port: /^\d+$/.test(port) ? Number(port) : Number.NaN,
    user: f.user.trim(),
    auth,
  };
}

/** The `gateways.add` input the form describes. */
export function toAddInput(f: GatewayForm): GatewayAddInput {
  return { name: f.name.trim(), profile: f.profile, connection: connectionOf(f) };
}

/** The `gateways.edit` input: only what changed. */
export function toEditInput(original: Gateway, f: GatewayForm): GatewayEditInput {
  const changes: GatewayEditInput['changes'] = {};
  const name = f.name.trim();
  if (name !== original.name) changes.name = name;
  if (f.profile !== original.profile) changes.profile = f.profile;
  const next = connectionOf(f);
  const before = formFrom(original);
  const same =
    JSON.stringify(connectionOf(before)) === JSON.stringify(next) &&
    !f.password &&
    !f.keyPassphrase;
  if (!same) changes.connection = next;
  return { name: original.name, changes };
}

const FIELD_OF: Record<string, FormField> = {
  name: 'name',
  profile: 'profile',
  'connection.host': 'host',
  'connection.port': 'port',
  'connection.baud': 'baud',
  'connection.user': 'user',
  'connection.auth.key_file': 'keyFile',
  'connection.auth.passphrase': 'keyPassphrase',
  'connection.auth.password': 'password',
  'connection.auth.password_env': 'passwordEnv',
};

/** The form field an API field path names (`changes.connection.host` → host), if any. */
export function fieldOf(path: string): FormField | undefined {
  return FIELD_OF[path.replace(/^changes\./, '')];
}

type Issue = { path: ReadonlyArray<PropertyKey>; message: string };

function collect(errors: FieldErrors, issues: readonly Issue[], via: ViaChoice): void {
  for (const issue of issues) {
    const named = fieldOf(issue.path.map(String).join('.'));
    // A serial connection's `port` is the console port, not a TCP port.
    const field = via === 'serial' && named === 'port' ? 'serialPort' : named;
    if (field && !errors[field]) errors[field] = issue.message;
  }
}

/**
 * Check the form with the same zod schema the core uses, field by field, before anything is
 * sent. `editing` is the gateway being edited, or null when adding.
 */
export function validate(f: GatewayForm, editing: Gateway | null = null): FieldErrors {
  const errors: FieldErrors = {};
  if (f.via === 'serial') {
    if (!f.serialPort.trim()) errors.serialPort = 'enter the port (/dev/ttyUSB0, COM3)';
    if (!/^\d+$/.test(f.baud.trim()) || Number(f.baud) < 1)
      errors.baud = 'enter a baud rate (gateways use 115200)';
  }
  const hadPassword = editing?.connection.auth.method === 'password';
  if (f.via === 'serial' && f.auth === 'password' && !f.password && !hadPassword)
    errors.password = 'must not be empty';
  if (f.via === 'ssh') {
    const port = f.port.trim();
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)
      errors.port = 'enter a port from 1 to 65535 (SSH is usually 22)';
    if (f.auth === 'password' && !f.password && !hadPassword) errors.password = 'must not be empty';
  }
  if (!f.profile) errors.profile = 'choose a profile';
  const result = editing
    ? gatewayEditSchema.safeParse(toEditInput(editing, f))
    : gatewayAddSchema.safeParse(toAddInput(f));
  if (!result.success) collect(errors, result.error.issues, f.via);
  return errors;
}

/** Put a server error's `details.issues` onto the form's fields; what fits no field stays general. */
export function serverErrors(e: RiggerErrorData): { fields: FieldErrors; general: string | null } {
  const fields: FieldErrors = {};
  const issues = Array.isArray(e.details.issues)
    ? (e.details.issues as Array<{ field?: unknown; problem?: unknown }>)
    : [];
  for (const i of issues) {
    const field = typeof i.field === 'string' ? fieldOf(i.field) : undefined;
    if (field && !fields[field])
      fields[field] = typeof i.problem === 'string' ? i.problem : e.message;
  }
  if (e.code === 'ALREADY_EXISTS' && !fields.name) fields.name = e.message;
  if (e.code === 'NOT_FOUND' && typeof e.details.profile === 'string' && !fields.profile)
    fields.profile = e.message;
  const mapped = Object.keys(fields).length > 0;
  const unmapped =
    issues.length > 0 && issues.some((i) => typeof i.field !== 'string' || !fieldOf(i.field));
  return { fields, general: !mapped || unmapped ? e.message : null };
}

/** The fields in the order the form shows them, to focus the first wrong one. */
export const FIELD_ORDER: readonly FormField[] = [
  'name',
  'profile',
  'serialPort',
  'baud',
  'host',
  'port',
  'user',
  'keyFile',
  'keyPassphrase',
  'password',
  'passwordEnv',
];

/**
 * The `gateways.testConnection` input the form describes. Editing, the gateway's own name lets
 * the core use its stored password (left empty on the form) and compare its pinned key.
 */
export function toTestInput(f: GatewayForm, editing: Gateway | null): ConnectionTestInput {
  const connection = connectionOf(f);
  return {
    ...(editing ? { name: editing.name } : {}),
    ...(f.profile ? { profile: f.profile } : {}),
    ...(connection.type === 'ssh' ? { connection } : {}),
  };
}
