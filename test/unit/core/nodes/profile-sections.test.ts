import { describe, expect, it } from 'vitest';
import { nodesProfileSchema, pluginsProfileSchema } from '../../../../src/shared/profile';
import { withNode } from '../../../../src/main/core/nodes/tool';

describe('profile sections for plugins and nodes', () => {
  it('takes the contract examples, with the default min_free_bytes', () => {
    expect(
      pluginsProfileSchema.parse({
        dir: '/opt/gateway/plugins',
        config_dir: '/etc/gateway/ota',
        restart_command: '/usr/sbin/gateway-plugins restart',
      }),
    ).toMatchObject({ min_free_bytes: 16777216 });
    expect(
      nodesProfileSchema.safeParse({
        list_command: '/usr/sbin/gateway-nodes list',
        push_command: '/usr/sbin/gateway-nodes push {node_id}',
        status_command: '/usr/sbin/gateway-nodes status {node_id}',
      }).success,
    ).toBe(true);
  });

  it('refuses relative folders and node commands without {node_id}', () => {
    expect(
      pluginsProfileSchema.safeParse({ dir: 'plugins', config_dir: '/etc', restart_command: 'x' })
        .success,
    ).toBe(false);
    expect(
      nodesProfileSchema.safeParse({
        list_command: 'l',
        push_command: 'push',
        status_command: 's {node_id}',
      }).success,
    ).toBe(false);
  });

  it('puts the node id in shell-quoted, wherever {node_id} stands', () => {
    expect(withNode('tool push {node_id} --id={node_id}', "A'1")).toBe(
      `tool push 'A'\\''1' --id='A'\\''1'`,
    );
  });
});
