import type { RiggerErrorData } from '../../../../shared/errors';
import { gatewayAddSchema, type Gateway, type GatewayAddInput } from '../../../../shared/gateways';

export type AuthChoice = 'key' | 'password' | 'password-env';

export interface GatewayForm {
  name: string;
  profile: string;
  host: string;
  port: string;
  user: string;
  auth: AuthChoice;
  keyFile: string;
  password: string;
  passwordEnv: string;
}

export type FieldErrors = Partial<Record<keyof GatewayForm, string>>;

export const emptyForm = (profile = ''): GatewayForm => ({
  name: '',
  profile,
  host: '',
  port: '22',
  user: 'root',
  auth: 'key',
  keyFile: '',
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
    if (auth.method === 'key') f.keyFile = auth.key_file;
    if (auth.method === 'password-env') f.passwordEnv = auth.password_env;
  }
  return f;
}

/** The API input the form describes. An empty password on edit keeps the stored one. */
export function toInput(f: GatewayForm): GatewayAddInput {
  const auth =
    f.auth === 'key'
      ? { method: 'key' as const, key_file: f.keyFile.trim() }
      : f.auth === 'password-env'
        ? { method: 'password-env' as const, password_env: f.passwordEnv.trim() }
        : { method: 'password' as const, ...(f.password ? { password: f.password } : {}) };
  return {
    name: f.name.trim(),
    profile: f.profile,
    connection: {
      type: 'ssh',
      host: f.host.trim(),
      port: Number(f.port),
      user: f.user.trim(),
      auth,
    },
  };
}

const FIELD_OF: Record<string, keyof GatewayForm> = {
  name: 'name',
  profile: 'profile',
  'connection.host': 'host',
  'connection.port': 'port',
  'connection.user': 'user',
  'connection.auth.key_file': 'keyFile',
  'connection.auth.password': 'password',
  'connection.auth.password_env': 'passwordEnv',
  'changes.name': 'name',
};

/** Check the form with the same schema the core uses, field by field. */
export function validate(f: GatewayForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!/^\d+$/.test(f.port.trim())) errors.port = 'Enter a port number (usually 22)';
  const r = gatewayAddSchema.safeParse(toInput(f));
  if (!r.success) {
    for (const issue of r.error.issues) {
      const field = FIELD_OF[issue.path.join('.')];
      if (field && !errors[field]) errors[field] = issue.message;
    }
  }
  return errors;
}

/** Put a server error's `details.issues` onto the form's fields; what fits no field stays general. */
export function serverErrors(e: RiggerErrorData): { fields: FieldErrors; general: string | null } {
  const fields: FieldErrors = {};
  const issues = Array.isArray(e.details.issues)
    ? (e.details.issues as Array<{ field?: string; problem?: string }>)
    : [];
  for (const i of issues) {
    const field = i.field ? FIELD_OF[i.field] : undefined;
    if (field) fields[field] = i.problem ?? e.message;
  }
  if (e.code === 'ALREADY_EXISTS') fields.name = e.message;
  if (e.code === 'NOT_FOUND' && e.details.profile) fields.profile = e.message;
  return { fields, general: Object.keys(fields).length ? null : e.message };
}
