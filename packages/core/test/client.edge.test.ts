// @wandb-api/core inside an Edge Runtime VM (vitest project `edge`): the browser entry, no Node
// globals, against the real local server started by test/edge/setup.ts in the Node host.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type EdgeSandbox, loadEdgeSdk } from '../../../test/edge/sdk.js';

const edge = inject('edge');
let box: EdgeSandbox;

beforeAll(() => {
  box = loadEdgeSdk();
});

/** A client whose fetch counts the calls it forwards to the VM's own fetch. */
function countingClient(options: Record<string, unknown> = {}) {
  const calls: string[] = [];
  const client = box.sdk.createClient({
    baseUrl: edge.url,
    apiKey: edge.apiKey,
    env: {},
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    fetch: (input, init) => {
      calls.push(String(input instanceof Request ? input.url : input));
      return box.fetch(input, init);
    },
    ...options,
  });
  return { client, calls };
}

describe('the edge sandbox', () => {
  it('has the edge globals and none of Node', () => {
    expect(box.evaluate('typeof EdgeRuntime')).toBe('string');
    expect(box.evaluate('typeof process')).toBe('undefined');
    expect(box.evaluate('typeof Buffer')).toBe('undefined');
    expect(box.evaluate('typeof require')).toBe('undefined');
    expect(box.evaluate('typeof setImmediate')).toBe('undefined');
    expect(box.evaluate('typeof fetch')).toBe('function');
  });

  it('runs the browser entries, not node.ts', () => {
    expect(edge.inputs).toEqual(expect.arrayContaining(['packages/core/src/index.ts', 'packages/runs/src/index.ts']));
    expect(edge.inputs.filter((path) => /(^|[./])node\.ts$/.test(path))).toEqual([]);
    // Node-only exports of the `node` entries are absent.
    expect('netrcApiKey' in box.sdk).toBe(false);
    expect('downloadFile' in box.sdk).toBe(false);
    expect(typeof box.sdk.createClient).toBe('function');
  });
});

describe('core client in the edge runtime', () => {
  it('sends every request through the injected fetch', async () => {
    const { client, calls } = countingClient();
    const viewer = await box.sdk.getViewer(client);
    expect(viewer?.username).toBe(edge.entity);
    expect(calls).toEqual([`${edge.url}/graphql`]);
  });

  it('reads the environment it is given (no process.env here)', () => {
    const client = box.sdk.createClient({ env: { WANDB_BASE_URL: edge.url, WANDB_API_KEY: edge.apiKey, WANDB_ENTITY: 'someone' } });
    expect(client.config).toMatchObject({ baseUrl: edge.url, entity: 'someone', apiKey: edge.apiKey });
    expect(box.sdk.createClient().config.baseUrl).toBe('https://api.wandb.ai');
  });

  it('bad input is a ValidationError before any request', async () => {
    const { client, calls } = countingClient();
    await expect(box.sdk.getRun(client, 'a/b/c/d/e')).rejects.toBeInstanceOf(box.sdk.ValidationError);
    expect(() => box.sdk.createClient({ baseUrl: 'ftp://x', env: {} })).toThrow(box.sdk.ValidationError);
    expect(calls).toEqual([]);
  });

  it('a wrong API key is an AuthenticationError (401), not retried', async () => {
    const { client, calls } = countingClient({ apiKey: 'x'.repeat(40) });
    const error = await box.sdk.getViewer(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(box.sdk.AuthenticationError);
    expect(error).toBeInstanceOf(box.sdk.HTTPError);
    expect(error).toMatchObject({ name: 'AuthenticationError', status: 401 });
    expect(String((error as Error).message)).not.toContain('x'.repeat(40));
    expect(calls).toHaveLength(1);
  });

  it('a missing run is a NotFoundError', async () => {
    const { client } = countingClient();
    await expect(box.sdk.getRun(client, `${edge.entity}/edge/nope`)).rejects.toBeInstanceOf(box.sdk.NotFoundError);
  });

  it('retries a 503 then throws a ServerError', async () => {
    const { client, calls } = countingClient({ baseUrl: edge.failingUrl, apiKey: edge.failingApiKey, maxRetries: 2 });
    const error = await box.sdk.getViewer(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(box.sdk.ServerError);
    expect(error).toMatchObject({ status: 503 });
    expect(calls).toHaveLength(3);
  });

  it('an aborted signal is an AbortError: before the request and while it is in flight', async () => {
    const { client, calls } = countingClient();
    const early = new AbortController();
    early.abort();
    await expect(box.sdk.getViewer(client, { signal: early.signal })).rejects.toBeInstanceOf(box.sdk.AbortError);
    expect(calls).toEqual([]);

    const late = new AbortController();
    const pending = box.sdk.getRun(client, `${edge.entity}/edge/e1`, { signal: late.signal });
    late.abort();
    await expect(pending).rejects.toBeInstanceOf(box.sdk.AbortError);
  });
});
