// Python-shaped run files: the decoded fields of a @wandb-api/runs RunFile plus methods that delegate
// to its functions. Disk access (download) comes from ./local.ts: the Node entry of @wandb-api/runs
// in the facade's Node entry; in browsers a ValidationError pointing at the byte-level functions.
import type { CallOptions, WandbClient } from '@wandb-api/core';
import { type FetchFileOptions, type RunFile, deleteFile, fetchFileBytes } from '@wandb-api/runs';
import { downloadFile } from './local.js';

/** Options of `File#download` (Python's `download(root, replace, exist_ok)`). */
export interface DownloadOptions extends FetchFileOptions {
  /** Default `.`. */
  root?: string;
  /** Overwrite an existing file. Default false. */
  replace?: boolean;
  /** Keep an existing file and return its path. Default false. */
  existOk?: boolean;
}

/** A file of a run, as `run.files()` and `run.file(name)` return it. */
export class File {
  readonly #client: WandbClient;
  readonly #data: RunFile;

  constructor(client: WandbClient, data: RunFile) {
    this.#client = client;
    this.#data = data;
  }

  /** The decoded fields, for the functions of @wandb-api/runs. */
  get data(): RunFile {
    return this.#data;
  }

  /** The server's global id. */
  get id(): string {
    return this.#data.id;
  }

  /** The path inside the run, e.g. `wandb-metadata.json`. */
  get name(): string {
    return this.#data.name;
  }

  /** The download URL under the API host (needs the API key). */
  get url(): string {
    return this.#data.url;
  }

  /** The signed, time-limited storage URL (no credentials). */
  get directUrl(): string {
    return this.#data.directUrl;
  }

  /** Bytes; 0 when the server reports none. */
  get size(): number {
    return this.#data.size;
  }

  /** Base64 MD5 of the content, as W&B reports it. */
  get md5(): string | null {
    return this.#data.md5;
  }

  /** The MIME type the server reports. */
  get mimetype(): string | null {
    return this.#data.mimetype;
  }

  /** When the file last changed (ISO 8601). */
  get updatedAt(): string | null {
    return this.#data.updatedAt;
  }

  /**
   * Downloads to `<root>/<name>` (atomically, checked against the size and MD5) and returns the local
   * path; never writes through a symbolic link under root. Node only.
   */
  download(options?: DownloadOptions): Promise<string> {
    return downloadFile(this.#client, this.#data, options);
  }

  /** The file's bytes (works in browsers too). */
  bytes(options?: FetchFileOptions): Promise<Uint8Array> {
    return fetchFileBytes(this.#client, this.#data, options);
  }

  /** Deletes the file from its run. */
  delete(options?: CallOptions): Promise<void> {
    return deleteFile(this.#client, this.#data, options);
  }

  /** The plain file record (what `JSON.stringify` writes). */
  toJSON(): RunFile {
    return this.#data;
  }
}
