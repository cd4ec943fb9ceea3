// Python-shaped users: the decoded fields of an @wandb-api/admin User plus methods that delegate to
// its functions. No behaviour lives here.
import type { CallOptions, WandbClient } from '@wandb-api/core';
import type { ApiKey, User as UserData } from '@wandb-api/admin';
import { loadAdmin } from './adminModule.js';

/**
 * A user, as `api.user()`, `api.users()` and `api.createUser()` return it.
 * @example const bob = await api.user('bob'); console.log(bob?.email, bob?.teams);
 */
export class User {
  readonly #client: WandbClient;
  #keys: ApiKey[];
  /** The names of the user's API keys, as Python's `api_keys` (not the secrets, on servers that store keys hashed; a key generateApiKey added is listed by the key itself); empty unless visible to the caller. */
  apiKeys: string[];

  constructor(client: WandbClient, data: UserData) {
    this.#client = client;
    const { apiKeys, ...rest } = data;
    Object.assign(this, rest);
    this.#keys = [...apiKeys];
    this.apiKeys = apiKeys.map((k) => k.name);
  }

  /**
   * A new API key; returns its name (the key). As in Python, the key belongs to the caller's own
   * user (the Api's key), whichever User this is called on; it is added to this user's `apiKeys`.
   * Unlike Python (None), failures throw typed errors.
   * @example const key = await (await api.user('bob'))!.generateApiKey('ci');
   */
  async generateApiKey(description?: string, options?: CallOptions): Promise<string> {
    const key = await (await loadAdmin()).generateApiKey(this.#client, { ...options, ...(description === undefined ? {} : { description }) });
    this.#keys.push(key);
    this.apiKeys.push(key.name);
    return key.name;
  }

  /**
   * Deletes one of this user's API keys by name; an unknown name is a ValidationError (Python: ValueError).
   * @example await user.deleteApiKey(user.apiKeys[0]!);
   */
  async deleteApiKey(name: string, options?: CallOptions): Promise<boolean> {
    const done = await (await loadAdmin()).deleteApiKey(this.#client, { apiKeys: this.#keys }, name, options);
    this.#keys = this.#keys.filter((k) => k.name !== name);
    this.apiKeys = this.apiKeys.filter((k) => k !== name);
    return done;
  }
}
export interface User extends Omit<UserData, 'apiKeys'> {}
