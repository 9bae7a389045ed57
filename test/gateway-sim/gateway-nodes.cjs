#!/usr/bin/env node
/**
 * The test gateway's node tool (GATEWAY-CONTRACT.md section 7): `list`, `push ID` (firmware on
 * stdin) and `status ID`. Each node is a folder: `node.json` (what it is and how it behaves),
 * two OTA slots `ota_0.bin` / `ota_1.bin` and `otadata.json` (which slot boots and its state, as
 * ESP-IDF keeps them), `status.json` (the last job). A firmware image starts with a header line
 * `RIGGER-SIM-FW type=T version=V\n`, standing in for ESP-IDF's esp_app_desc_t.
 *
 * Behaviours: `ok` boots the new image and confirms it; `rollback` boots it but never marks it
 * valid, so the bootloader falls back; `reject` refuses the image; `hang` reboots forever;
 * `drop` goes offline at `drop_at` % of the push. `online: false` is a node that is not there.
 */
const fs = require('node:fs');
const path = require('node:path');

const [root, cmd, id] = process.argv.slice(2);
const HEADER = /^RIGGER-SIM-FW type=(\S+) version=(\S+)\n/;

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const writeJson = (f, v) => {
  fs.writeFileSync(`${f}.tmp`, JSON.stringify(v));
  fs.renameSync(`${f}.tmp`, f);
};
const die = (msg, code = 1) => {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
};

function header(buf) {
  const m = HEADER.exec(buf.subarray(0, 200).toString('latin1'));
  return m ? { type: m[1], version: m[2] } : null;
}

function nodeDir(nodeId) {
  const d = path.join(root, nodeId);
  if (!nodeId || nodeId.includes('/') || !fs.existsSync(path.join(d, 'node.json')))
    die(`unknown node: ${nodeId}`, 4);
  return d;
}

function runningVersion(d) {
  const od = readJson(path.join(d, 'otadata.json'));
  const h = header(fs.readFileSync(path.join(d, `ota_${od.active}.bin`)));
  return h ? h.version : null;
}

function list() {
  const out = [];
  for (const n of fs.readdirSync(root).sort()) {
    const d = path.join(root, n);
    if (!fs.existsSync(path.join(d, 'node.json'))) continue;
    const node = readJson(path.join(d, 'node.json'));
    out.push({
      node_id: n,
      name: node.name,
      type: node.type,
      fw_version: runningVersion(d),
      online: node.online,
    });
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** What the node does after it took an image: reboot into it, then confirm or roll back. */
function settle(d, node, st) {
  if (st.state !== 'rebooting') return st;
  st.polls = (st.polls ?? 0) + 1;
  // The node needs a couple of status polls to come back up, as a real one needs seconds.
  if (st.polls < 2 || node.behavior === 'hang') return st;
  const od = readJson(path.join(d, 'otadata.json'));
  if (node.behavior === 'rollback') {
    od.slots[od.pending] = 'aborted';
    delete od.pending;
    writeJson(path.join(d, 'otadata.json'), od);
    return {
      ...st,
      state: 'failed',
      fw_version: runningVersion(d),
      message: `new firmware ${st.pending_version} did not confirm (no esp_ota_mark_app_valid); bootloader rolled back to ${runningVersion(d)}`,
    };
  }
  od.active = od.pending;
  od.seq += 1;
  od.slots[od.pending] = 'valid';
  delete od.pending;
  writeJson(path.join(d, 'otadata.json'), od);
  return {
    ...st,
    state: 'success',
    fw_version: runningVersion(d),
    progress: 100,
    message: `running ${runningVersion(d)}, marked valid`,
  };
}

function status() {
  const d = nodeDir(id);
  const node = readJson(path.join(d, 'node.json'));
  const f = path.join(d, 'status.json');
  let st = fs.existsSync(f)
    ? readJson(f)
    : { state: 'idle', pending_version: null, progress: 0, message: '' };
  if (!node.online && st.state !== 'rebooting')
    die(`node ${id} is offline (no answer on the bus)`, 3);
  st = settle(d, node, st);
  writeJson(f, st);
  const { polls: _p, ...shown } = st;
  process.stdout.write(
    `${JSON.stringify({ node_id: id, ...shown, fw_version: runningVersion(d) })}\n`,
  );
}

function push() {
  const d = nodeDir(id);
  const node = readJson(path.join(d, 'node.json'));
  const f = path.join(d, 'status.json');
  const record = (state, extra) =>
    writeJson(f, { state, pending_version: null, progress: 0, message: '', ...extra });
  if (!node.online) die(`node ${id} is offline (no answer on the bus)`, 3);
  const od = readJson(path.join(d, 'otadata.json'));
  const target = od.active === 0 ? 1 : 0;
  const chunks = [];
  let got = 0;
  let failed = false;
  process.stdin.on('data', (c) => {
    if (failed) return;
    got += c.length;
    if (got > node.slot_size) {
      failed = true;
      const m = `image is ${got}+ bytes, larger than the node's OTA slot (${node.slot_size})`;
      record('rejected', { message: m });
      return die(`node refused the image: ${m}`, 5);
    }
    chunks.push(c);
  });
  process.stdin.on('end', () => {
    if (failed) return;
    const img = Buffer.concat(chunks);
    const h = header(img);
    const refuse = (m, v = null) => {
      record('rejected', { message: m, pending_version: v });
      die(`node refused the image: ${m}`, 5);
    };
    if (!h) return refuse('not an app image (bad magic)');
    if (h.type !== node.type) return refuse(`image is for ${h.type}, this node is ${node.type}`);
    // Over the bus in blocks, as the node writes them to its inactive slot.
    const slot = path.join(d, `ota_${target}.bin`);
    fs.writeFileSync(slot, '');
    const block = Math.max(1, Math.ceil(img.length / 20));
    let last = -1;
    for (let off = 0; off < img.length; off += block) {
      const pct = Math.floor((off * 100) / img.length);
      if (node.behavior === 'drop' && pct >= (node.drop_at ?? 50)) {
        node.online = false;
        writeJson(path.join(d, 'node.json'), node);
        const m = `lost node ${id} at ${pct}%: no answer on the bus`;
        record('failed', { message: m, pending_version: h.version, progress: pct });
        return die(m, 3);
      }
      fs.appendFileSync(slot, img.subarray(off, off + block));
      if (Math.floor(pct / 10) !== last) process.stdout.write(`progress ${pct}\n`);
      last = Math.floor(pct / 10);
    }
    // The node checks the image it received before it agrees to boot it.
    if (node.behavior === 'reject')
      return refuse('secure boot: image signature does not verify', h.version);
    od.pending = target;
    od.slots[target] = 'pending_verify';
    writeJson(path.join(d, 'otadata.json'), od);
    process.stdout.write('progress 100\n');
    record('rebooting', {
      pending_version: h.version,
      progress: 100,
      message: `image ${h.version} in ota_${target}, rebooting`,
    });
  });
}

if (cmd === 'list') list();
else if (cmd === 'status') status();
else if (cmd === 'push') push();
else die('usage: gateway-nodes list | push NODE_ID | status NODE_ID', 2);
