import { RiggerError } from '../../../shared/errors';
import type { ImageService } from '../images/service';
import type { AreaHandlers } from './handlers';

type ImageOps =
  | 'images.import'
  | 'images.list'
  | 'images.get'
  | 'images.remove'
  | 'images.verify'
  | 'images.usage'
  | 'images.sync'
  | 'updates.check'
  | 'upload.verify'
  | 'keys.list'
  | 'keys.add'
  | 'keys.remove';

/** The image library and trusted keys as API operations. */
export function imageHandlers(images: ImageService): AreaHandlers<ImageOps> {
  return {
    'images.import': async ({ path, unsigned, version }) =>
      images.importPath(path, { unsigned, version }),
    'images.list': async (filter) => images.list(filter),
    'images.get': async ({ id }) => images.get(id),
    'images.remove': async ({ id }) => (images.remove(id), { removed: true as const }),
    'images.verify': async ({ id }) => images.verify(id),
    'images.usage': async () => images.usage(),
    'images.sync': async (input) => images.sync(input),
    'updates.check': async (input) => images.checkUpdates(input),
    'upload.verify': async (input) => images.verifyUpload(input),
    'keys.list': async () => images.trust.list(),
    'keys.add': async ({ path, pem }) => {
      if (path) return images.addKey(path);
      if (pem) return images.trust.add(pem);
      throw new RiggerError('VALIDATION_ERROR', 'Give a key file or its PEM text');
    },
    'keys.remove': async ({ fingerprint }) => (
      images.removeKey(fingerprint),
      { removed: true as const }
    ),
  };
}
