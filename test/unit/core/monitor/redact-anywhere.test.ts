import { describe, expect, it } from 'vitest';
import { redact } from '../../../../src/main/core/monitor/redact';

/** Each case: text with planted secrets, the secrets, how many values, what must stay. */
const CASES: Array<{
  name: string;
  text: string;
  secrets: string[];
  count: number;
  keep?: string[];
}> = [
  {
    name: 'k=v pairs in the middle of a log line',
    text: 'Mar 15 12:00:01 gw app[12]: login failed password=S3cr3tLog token=abcd1234 user=ops',
    secrets: ['S3cr3tLog', 'abcd1234'],
    count: 2,
    keep: ['user=ops', 'login failed'],
  },
  {
    name: 'camelCase JSON keys, in one line',
    text: '{"broker": "10.0.0.2", "mqttPassword": "hunter6", "apiKey": "k-998877", "port": 1883}',
    secrets: ['hunter6', 'k-998877'],
    count: 2,
    keep: ['"broker": "10.0.0.2"', '"port": 1883'],
  },
  {
    name: 'YAML with a value holding spaces',
    text: 'mqtt:\n  host: broker.local\n  Passwd: correct horse battery\n  client_secret: "zz top"\n',
    secrets: ['correct horse battery', 'zz top'],
    count: 2,
    keep: ['host: broker.local'],
  },
  {
    name: 'INI sections, any case',
    text: '[wifi]\nSSID = crane-net\nPSK = WiFi-Psk-123\n[db]\nCredential=dbcred77\n',
    secrets: ['WiFi-Psk-123', 'dbcred77'],
    count: 2,
    keep: ['SSID = crane-net'],
  },
  {
    name: 'process list arguments',
    text: '  412 root  /usr/bin/agent --token=tk_live_55 --secret s3kr1t --verbose\n',
    secrets: ['tk_live_55', 's3kr1t'],
    count: 2,
    keep: ['--verbose'],
  },
  {
    name: 'a bearer token anywhere',
    text: 'curl: > Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_part\n',
    secrets: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_part'],
    count: 1,
  },
  {
    name: 'a PEM private key, also escaped inside JSON',
    text:
      '{"tls_cert": "ok", "pem": "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIPEMPLANTED\\n-----END EC PRIVATE KEY-----"}\n' +
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEPLANTEDRSA\n-----END RSA PRIVATE KEY-----\n',
    secrets: ['MHcCAQEEIPEMPLANTED', 'MIIEPLANTEDRSA'],
    count: 2,
    keep: ['"tls_cert": "ok"'],
  },
  {
    name: 'credentials in a URL',
    text: 'upstream=mqtts://crane:UrlPass99@broker.example:8883\n',
    secrets: ['UrlPass99'],
    count: 1,
    keep: ['broker.example:8883'],
  },
  {
    name: 'names that only look alike are kept',
    text: 'keyboard=us\nmonkey=banana\npassenger_count=3\n',
    secrets: [],
    count: 0,
    keep: ['keyboard=us', 'monkey=banana', 'passenger_count=3'],
  },
];

describe('redaction wherever a secret stands', () => {
  it.each(CASES)('$name', ({ text, secrets, count, keep }) => {
    const r = redact(text);
    for (const s of secrets) expect(r.text).not.toContain(s);
    for (const k of keep ?? []) expect(r.text).toContain(k);
    expect(r.count).toBe(count);
  });
});
