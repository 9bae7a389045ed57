import type { Settings } from '../../../shared/settings';

/**
 * The broker URL to subscribe to: an explicit one (`rigger serve --mqtt`, with its credentials,
 * kept in memory only) wins; else the settings' address and user with the password from
 * RIGGER_MQTT_PASSWORD. Null when no broker is configured, with the reason.
 */
export function brokerUrl(
  explicit: string | undefined,
  t: Settings['telemetry'],
  env: NodeJS.ProcessEnv = process.env,
): { url: string } | { url: null; note: string } {
  if (explicit) return { url: explicit };
  if (!t.mqtt_url)
    return {
      url: null,
      note: 'No MQTT broker is set: Settings › telemetry, or rigger serve --mqtt URL',
    };
  const u = new URL(t.mqtt_url);
  if (t.mqtt_username) u.username = encodeURIComponent(t.mqtt_username);
  const pw = env.RIGGER_MQTT_PASSWORD;
  if (pw) u.password = encodeURIComponent(pw);
  return { url: u.toString() };
}
