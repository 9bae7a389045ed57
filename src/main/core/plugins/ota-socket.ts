import type { EventEmitter } from 'node:events';
import type { Namespace, Server } from 'socket.io';
import type { TerminalLine } from '../../../shared/plugins';
import type { Terminal } from './terminal';

/** The seed's namespace for terminal output, and the event each line arrives as. */
export const OTA_NAMESPACE = '/ota-update';
export const TERMINAL_EVENT = 'terminal_output';

export interface OtaSocketDeps {
  lines: EventEmitter<{ line: [TerminalLine] }>;
  terminal(updateId: string): Terminal | null;
  /** Is this the server's token? (constant-time, as the REST server checks it) */
  checkToken(given: string | undefined): boolean;
}

/** The token a Socket.IO client brings: `auth: { token }`, a bearer header, or `?token=`. */
function tokenOf(hs: {
  auth: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
}): string | undefined {
  if (typeof hs.auth.token === 'string') return hs.auth.token;
  const h = hs.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim();
  return typeof hs.query.token === 'string' ? hs.query.token : undefined;
}

/**
 * The seed's `/ota-update` namespace: connect (with the server's token) and every plugin
 * operation's terminal output streams as `terminal_output` events. A client that names an
 * `update_id` in its handshake query first gets that operation's lines so far.
 */
export function attachOtaNamespace(io: Server, deps: OtaSocketDeps): Namespace {
  const nsp = io.of(OTA_NAMESPACE);
  nsp.use((socket, next) => {
    if (deps.checkToken(tokenOf(socket.handshake))) return next();
    next(new Error('Missing or wrong access token'));
  });
  nsp.on('connection', (socket) => {
    const id = socket.handshake.query.update_id;
    const past = typeof id === 'string' ? deps.terminal(id) : null;
    for (const l of past?.lines() ?? []) socket.emit(TERMINAL_EVENT, l);
  });
  deps.lines.on('line', (l) => nsp.emit(TERMINAL_EVENT, l));
  return nsp;
}
