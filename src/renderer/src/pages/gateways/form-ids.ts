import type { FormField } from './form-model';

/** The input element of each form field, to focus the first wrong one. */
export const INPUT_ID: Record<FormField, string> = {
  name: 'gateway-name',
  profile: 'gateway-profile',
  via: 'via-ssh',
  serialPort: 'gateway-serial-port',
  baud: 'gateway-baud',
  host: 'gateway-host',
  port: 'gateway-port',
  user: 'gateway-user',
  auth: 'auth-key',
  keyFile: 'gateway-key-file',
  keyPassphrase: 'gateway-key-passphrase',
  keyPassphraseEnv: 'gateway-key-file',
  password: 'gateway-password',
  passwordEnv: 'gateway-password-env',
};
