import type { OperationOutput } from '../../../shared/api';
import type { RiggerEvent } from '../../../shared/events';
import type { LibraryImage, TrustedKey, UpdatesCheck, UploadVerify } from '../../../shared/images';
import type { Readable } from 'node:stream';
import type { BlockIndex } from '../transfer/block-index';
import type { BlobStore } from './blob-store';
import type { ImageFilter, Library } from './library';
import type { TrustStore } from './trust';

/** The events this service emits on the core's bus. */
export type ImageEvent = Extract<RiggerEvent, { type: 'progress_update' }>;

/**
 * The offline image library: bundles imported and proven (SHA-256, signatures), the trusted
 * keys, the update catalog, and which images fit a gateway.
 *
 * Emits on the core's events: `progress_update` while an import or a catalog download runs
 * (job ids `IMG-…`, not jobs of the job engine).
 */
export interface ImageService {
  /** The content-addressed files behind the library. */
  readonly store: BlobStore;
  /** The index of imported images. */
  readonly library: Library;
  /** Trusted signing keys and CA certificates. */
  readonly trust: TrustStore;
  /** Import a bundle or raw image from a file; `onBytes` follows the read. */
  importPath(
    path: string,
    opts: { unsigned?: boolean; version?: string; source?: 'file' | 'catalog' },
    onBytes?: (n: number, total: number) => void,
  ): Promise<LibraryImage>;
  /** The library's images, filtered. */
  list(filter: ImageFilter): LibraryImage[];
  /** One image by id (NOT_FOUND otherwise). */
  get(id: string): LibraryImage;
  /** Remove an image and its file. */
  remove(id: string): void;
  /** Space used against the quota, and when the catalog was last refreshed. */
  usage(): OperationOutput<'images.usage'>;
  /** An image's block index (built once, kept beside its file): what a delta plans from. */
  blockIndex(id: string): Promise<BlockIndex>;
  /** An image's stored bytes (compressed when it was imported gzip). */
  openStored(id: string): Readable;
  /** Re-read a stored image and check it still matches its manifest. */
  verify(id: string): Promise<OperationOutput<'images.verify'>>;
  /** Refresh the catalog of a channel; with `download`, fetch and import what is missing. */
  sync(input: {
    channel?: string;
    server?: string;
    download: boolean;
  }): Promise<OperationOutput<'images.sync'>>;
  /** The newer images (local or in the catalog) that fit a gateway. */
  checkUpdates(input: { gateway: string; channel?: string; force: boolean }): Promise<UpdatesCheck>;
  /** Judge a library image or a file against a gateway's profile (seed upload/verify). */
  verifyUpload(input: {
    image_id?: string;
    path?: string;
    upload?: string;
    version?: string;
    gateway: string;
  }): Promise<UploadVerify>;
  /** Take a file sent over HTTP (the seed's multipart upload), bounded by the room there is. */
  receiveUpload(filename: string, body: Readable): Promise<{ name: string; size: number }>;
  /** Import a received upload into the library; the upload is removed either way. */
  importUploaded(
    name: string,
    opts: () => { unsigned?: boolean; version?: string },
  ): Promise<LibraryImage>;
  /** The library image a deploy names: by id or version, or an upload imported now. */
  resolveDeploy(
    filename: string,
    opts: { version?: string; allowUnsigned: boolean },
  ): Promise<string>;
  /** Trust a key read from a file (audited). */
  addKey(path: string): TrustedKey;
  /** Stop trusting a key (audited). */
  removeKey(fingerprint: string): void;
}
