import type { HawkbitConfig, HawkbitConfigInput } from '../../../../shared/hawkbit-api';

/** The hawkBit setup form as typed: every field a string. */
export interface HawkbitSetupDraft {
  url: string;
  tenant: string;
  /** Typed here to be sealed by the keychain (the desktop app), or left empty. */
  gatewayToken: string;
  gatewayTokenEnv: string;
  /** One `gateway=controllerId` per line. */
  controllers: string;
  caPem: string;
  managementUser: string;
  managementPassword: string;
  managementPasswordEnv: string;
}

/** The form filled from the setup as it is (secrets never come back: they stay empty). */
export function draftOf(c: HawkbitConfig | null): HawkbitSetupDraft {
  return {
    url: c?.url ?? '',
    tenant: c?.tenant ?? 'DEFAULT',
    gatewayToken: '',
    gatewayTokenEnv: '',
    controllers: Object.entries(c?.controllers ?? {})
      .map(([g, id]) => `${g}=${id}`)
      .join('\n'),
    caPem: '',
    managementUser: c?.management_user ?? '',
    managementPassword: '',
    managementPasswordEnv: '',
  };
}

/**
 * The form as `hawkbit.config` input: empty secrets and variable names are left as they are,
 * an empty management user clears it, and a controller line that is not `gateway=id` is named.
 */
export function configInputOf(
  d: HawkbitSetupDraft,
): { input: HawkbitConfigInput } | { error: string } {
  const controllers: Record<string, string> = {};
  for (const raw of d.controllers.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const i = line.indexOf('=');
    if (i < 1 || i === line.length - 1) return { error: `"${line}" is not gateway=controllerId` };
    controllers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  const text = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    input: {
      url: text(d.url),
      tenant: text(d.tenant),
      ...(Object.keys(controllers).length ? { controllers } : {}),
      ...(d.caPem.trim() ? { ca_pem: d.caPem.trim() } : {}),
      ...(text(d.gatewayToken) ? { gateway_token: d.gatewayToken.trim() } : {}),
      ...(text(d.gatewayTokenEnv) ? { gateway_token_env: d.gatewayTokenEnv.trim() } : {}),
      management_user: text(d.managementUser) ?? null,
      ...(text(d.managementPassword) ? { management_password: d.managementPassword.trim() } : {}),
      ...(text(d.managementPasswordEnv)
        ? { management_password_env: d.managementPasswordEnv.trim() }
        : {}),
    },
  };
}
