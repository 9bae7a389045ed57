import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useBackups } from '../../stores/backups';

const TYPES = [
  ['full', 'Full system (system slot and every component)'],
  ['config', 'Configuration only'],
  ['pre-ota', 'Before an update'],
] as const;

/** The seed's "Create Backup" modal: name, type, encryption, verification. */
export function CreateBackupDialog({ gateway, onClose }: { gateway: string; onClose: () => void }) {
  const [name, setName] = useState(`${gateway}_${new Date().toISOString().slice(0, 10)}`);
  const [type, setType] = useState<(typeof TYPES)[number][0]>('full');
  const [encrypt, setEncrypt] = useState(true);
  const [verify, setVerify] = useState(true);
  const [description, setDescription] = useState('');
  return (
    <Dialog title={`Back up ${gateway}`} onClose={onClose} testId="create-backup-dialog">
      <div className="field">
        <label htmlFor="bk-name">Name</label>
        <input id="bk-name" value={name} onChange={(e) => setName(e.target.value)} data-autofocus />
      </div>
      <fieldset className="field">
        <legend>Type</legend>
        {TYPES.map(([v, label]) => (
          <label key={v} className="radio">
            <input type="radio" name="bk-type" checked={type === v} onChange={() => setType(v)} />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="bk-desc">Description</label>
        <input id="bk-desc" value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <label className="inline">
        <input type="checkbox" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} />
        Encrypt (AES-256-GCM, the site key)
      </label>
      <label className="inline">
        <input type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} />
        Read it back and verify after writing
      </label>
      <div className="actions dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={!name.trim()}
          data-testid="create-backup-start"
          onClick={() => {
            onClose();
            void useBackups.getState().create({
              gateway,
              name: name.trim(),
              type,
              encrypt,
              verify_integrity: verify,
              description,
            });
          }}
        >
          Create backup
        </button>
      </div>
    </Dialog>
  );
}
