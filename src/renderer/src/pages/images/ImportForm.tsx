import { useState, type FormEvent } from 'react';
import { api } from '../../stores/client';
import { hasFileDialog } from '../../stores/client';
import { useImages } from '../../stores/images';

/** Import by path (a dropped file remounts it with its path): a bundle, or a loose image only as unsigned with its version, by explicit choice. */
export function ImportForm({
  initialPath,
  disabled,
}: {
  initialPath: string | null;
  disabled: boolean;
}) {
  const [path, setPath] = useState(initialPath ?? '');
  const [unsigned, setUnsigned] = useState(false);
  const [version, setVersion] = useState('');
  const desktop = hasFileDialog();
  const browserUpload = !desktop && !!api().uploadImage;
  const loose = /\.(img|squashfs)(\.gz)?$/i.test(path.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) return;
    void useImages
      .getState()
      .importFile(path.trim(), unsigned ? { version: version.trim() } : undefined);
  };
  return (
    <form className="import-form" onSubmit={submit}>
      <label className="field">
        <span>File on this laptop (bundle .tar / .tar.gz, or image .img / .squashfs)</span>
        <input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/media/usb/univa-gw-pro-v5.0.5.tar.gz"
        />
      </label>
      <div className="actions">
        {desktop ? (
          <button type="button" onClick={() => void useImages.getState().pickFile()}>
            Choose file…
          </button>
        ) : browserUpload ? (
          <label className="button file-pick">
            Choose file and import…
            <input
              type="file"
              accept=".tar,.tar.gz,.tgz,.img,.img.gz,.squashfs"
              className="visually-hidden"
              disabled={disabled}
              data-testid="import-file-input"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void useImages.getState().uploadFile(f);
              }}
            />
          </label>
        ) : (
          <button type="button" disabled title="Type the path above">
            Choose file… (type the path above)
          </button>
        )}
      </div>
      {browserUpload && (
        <p className="muted">
          Or drop a bundle anywhere on this page: it is sent to Rigger as it is read.
        </p>
      )}
      {loose && (
        <div className="panel panel-warn">
          <label className="radio">
            <input
              type="checkbox"
              checked={unsigned}
              onChange={(e) => setUnsigned(e.target.checked)}
            />
            This image has no signature. Import it as UNSIGNED (recorded in the audit log;
            installing it will ask again).
          </label>
          {unsigned && (
            <label className="field">
              <span>Its version</span>
              <input
                value={version}
                onChange={(e) => setVersion(e.target.value)}
                placeholder="v5.1.0-custom"
              />
            </label>
          )}
        </div>
      )}
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={disabled || !path.trim() || (loose && (!unsigned || !version.trim()))}
        >
          Import
        </button>
      </div>
    </form>
  );
}
