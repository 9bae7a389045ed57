import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { RiggerError } from '../../../shared/errors';
import {
  NODE_HTTP,
  toolNodeSchema,
  toolStatusSchema,
  type ToolNode,
  type ToolStatus,
} from '../../../shared/nodes';
import type { Profile } from '../../../shared/profile';
import { shq, type GatewaySession } from '../gateways/session';
import { runStreaming } from '../plugins/gateway-io';

/** The gateway's node tool (GATEWAY-CONTRACT.md section 7), its output bounded and checked. */

const MAX_OUTPUT = 1024 * 1024;

/** The profile's nodes section, or why this gateway has none. */
export function nodesOf(profile: Profile): NonNullable<Profile['nodes']> {
  if (!profile.nodes)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The profile "${profile.name}" names no node tool (GATEWAY-CONTRACT.md section 7)`,
      { profile: profile.name, http_status: NODE_HTTP.badRequest },
      ['Add a "nodes" section to the gateway profile'],
    );
  return profile.nodes;
}

/** A command with `{node_id}` replaced by the shell-quoted id. */
export const withNode = (command: string, nodeId: string) =>
  command.split('{node_id}').join(shq(nodeId));

function json<T>(schema: z.ZodType<T>, out: Buffer, what: string): T {
  if (out.length > MAX_OUTPUT)
    throw new RiggerError('COMMAND_FAILED', `The node tool's ${what} output is over 1 MiB`);
  try {
    return schema.parse(JSON.parse(out.toString('utf8')));
  } catch (err) {
    throw new RiggerError(
      'COMMAND_FAILED',
      `The node tool's ${what} output is not what GATEWAY-CONTRACT.md section 7 describes: ${(err as Error).message.slice(0, 300)}`,
      { output: out.toString('utf8').slice(0, 500) },
    );
  }
}

/** `list_command`: the nodes this gateway reaches. */
export async function listNodes(session: GatewaySession, profile: Profile): Promise<ToolNode[]> {
  const r = await session.exec(nodesOf(profile).list_command, { timeoutMs: 60_000 });
  if (r.code !== 0)
    throw new RiggerError(
      'COMMAND_FAILED',
      `The node tool could not list the nodes: ${r.stderr.toString('utf8').trim().slice(-500)}`,
      {
        exit_code: r.code,
      },
    );
  return json(z.array(toolNodeSchema).max(10_000), r.stdout, 'list');
}

/** `status_command`: null when the tool cannot reach the node (its message says why). */
export async function nodeStatus(
  session: GatewaySession,
  profile: Profile,
  nodeId: string,
): Promise<{ status: ToolStatus | null; error: string }> {
  const r = await session.exec(withNode(nodesOf(profile).status_command, nodeId), {
    timeoutMs: 60_000,
  });
  if (r.code !== 0)
    return {
      status: null,
      error: r.stderr.toString('utf8').trim().slice(-500) || `exit ${r.code}`,
    };
  return { status: json(toolStatusSchema, r.stdout, 'status'), error: '' };
}

/**
 * `push_command` with the firmware on standard input, reporting its `progress N` lines.
 * Resolves with the exit code and the tool's message (stderr) when it refused the image.
 */
export async function pushFirmware(
  session: GatewaySession,
  profile: Profile,
  nodeId: string,
  firmwarePath: string,
  onProgress: (pct: number) => void,
): Promise<{ code: number | null; message: string }> {
  let pending = '';
  const r = await runStreaming(session, withNode(nodesOf(profile).push_command, nodeId), {
    input: createReadStream(firmwarePath),
    timeoutMs: 30 * 60_000,
    onOutput(chunk, stream) {
      if (stream !== 'stdout') return;
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = (lines.pop() ?? '').slice(-1000);
      for (const l of lines) {
        const m = /^progress (\d{1,3})\s*$/.exec(l);
        if (m) onProgress(Math.min(100, Number(m[1])));
      }
    },
  });
  return { code: r.code, message: r.stderr.toString('utf8').trim().slice(-1000) };
}
