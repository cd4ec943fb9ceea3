// The complete Api: every method of Python's wandb.Api (camelCased), its attributes, and its class
// constants, which are the typed documents the methods send (checked on the wire).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer } from '../../../test/support.js';

/** Python's `wandb.Api` methods in camelCase. */
const METHODS = [
  'artifact',
  'artifactCollection',
  'artifactCollectionExists',
  'artifactCollections',
  'artifactExists',
  'artifactType',
  'artifactTypes',
  'artifactVersions',
  'artifacts',
  'createProject',
  'createRun',
  'createRunQueue',
  'createTeam',
  'createUser',
  'flush',
  'fromPath',
  'job',
  'listJobs',
  'project',
  'projects',
  'queuedRun',
  'registries',
  'reports',
  'run',
  'runQueue',
  'runs',
  'sweep',
  'syncTensorboard',
  'team',
  'upsertRunQueue',
  'user',
  'users',
] as const;

/** The methods wandb 0.31.0 added (47 public members in all): automations, integrations, custom charts, organization. */
const METHODS_0_31 = [
  'automation',
  'automations',
  'createAutomation',
  'createCustomChart',
  'deleteAutomation',
  'integrations',
  'organization',
  'slackIntegrations',
  'updateAutomation',
  'webhookIntegrations',
] as const;

/** Python's attributes: `viewer` and `defaultEntity` are methods here (they may need a request). */
const ATTRIBUTES = ['apiKey', 'viewer', 'defaultEntity', 'client', 'userAgent'] as const;

describe('Api surface', () => {
  const api = new Api({ apiKey: 'k'.repeat(40), baseUrl: 'http://127.0.0.1:9', env: { NETRC: '/nonexistent/netrc' } });

  it('has every method of the issue', () => {
    expect(METHODS).toHaveLength(32);
    const missing = METHODS.filter((name) => typeof (api as unknown as Record<string, unknown>)[name] !== 'function');
    expect(missing).toEqual([]);
  });

  it("has wandb 0.31.0's automation, integration, custom chart and organization methods", () => {
    expect(METHODS_0_31).toHaveLength(10);
    const missing = METHODS_0_31.filter((name) => typeof (api as unknown as Record<string, unknown>)[name] !== 'function');
    expect(missing).toEqual([]);
  });

  it('has every attribute', () => {
    const missing = ATTRIBUTES.filter((name) => !(name in api) || (api as unknown as Record<string, unknown>)[name] === undefined);
    expect(missing).toEqual([]);
    expect(api.apiKey).toBe('k'.repeat(40));
    expect(api.userAgent).toMatch(/^W&B Public Client/);
  });

  it('has the class constants as typed documents', () => {
    // A mutation's text starts with its write class (operations/mutations.json), a GraphQL comment.
    // A `#needs` mark may follow: it uses W&B's schema beyond 2023 (scripts/pure-documents.mjs).
    expect(String(Api.CREATE_PROJECT)).toMatch(/^#idempotent\n(#needs\n)?mutation CreateProject\b/);
    expect(String(Api.DEFAULT_ENTITY_QUERY)).toMatch(/^query DefaultEntity\b/);
    expect(String(Api.USERS_QUERY)).toMatch(/^query SearchUsers\b/);
    expect(String(Api.VIEWER_QUERY)).toMatch(/^query Viewer\b/);
  });
});

describe('Api class constants on the wire', () => {
  let server: LocalServer;
  const sent: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  /** An Api whose fetch notes each GraphQL document it sends to the real server. */
  function recordingApi(): Api {
    const fetch: typeof globalThis.fetch = async (input, init) => {
      // The document text goes out exactly as generated.
      if (typeof init?.body === 'string') sent.push((JSON.parse(init.body) as { query: string }).query);
      return globalThis.fetch(input, init);
    };
    return new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' }, fetch });
  }

  it('are the documents createProject, defaultEntity, users and viewer send', async () => {
    const api = recordingApi();
    sent.length = 0;
    await api.createProject('constants', 'demo');
    // After the capability probe (once per client): CreateProject needs Project.internalId.
    expect(sent).toEqual([expect.stringMatching(/^query ServerProbe\b/), String(Api.CREATE_PROJECT)]);
    sent.length = 0;
    expect(await api.defaultEntity()).toBe('demo');
    expect(sent).toEqual([String(Api.DEFAULT_ENTITY_QUERY)]);
    sent.length = 0;
    expect((await api.users('demo')).map((u) => u.username)).toEqual(['demo']);
    expect(sent).toEqual([String(Api.USERS_QUERY)]);
    sent.length = 0;
    expect((await api.viewer()).username).toBe('demo');
    expect(sent).toEqual([String(Api.VIEWER_QUERY)]);
  });
});
