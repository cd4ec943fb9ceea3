// Reports through @wandb-api/runs against the local server (demo seed: demo/mnist-classifier has
// reports View:123456 "LR search: results & notes" and View:123457 "Grid summary").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, type WandbClient } from '@wandb-api/core';
import { getReport, listReports, reportSlug } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const P = 'demo/mnist-classifier';
const ID1 = Buffer.from('View:123456').toString('base64'); // ends with one '=' of padding
const ID2 = Buffer.from('View:123457').toString('base64');

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
});
afterAll(() => server.stop());

describe('listReports', () => {
  it('lists reports with decoded spec (NaN kept), sections, author and URL', async () => {
    const reports = await listReports(client, P).toArray();
    expect(reports.map((r) => r.id)).toEqual([ID1, ID2]);
    const [first] = reports;
    expect(ID1.endsWith('=')).toBe(true);
    expect(first).toMatchObject({
      name: 'lr-search-results',
      displayName: 'LR search: results & notes',
      description: 'What the Bayesian search found',
      user: { username: 'demo' },
      entity: 'demo',
      project: 'mnist-classifier',
      createdAt: '2025-01-10T09:00:00',
    });
    expect(first?.url).toBe(`${client.config.appUrl}demo/mnist-classifier/reports/LR-search-results-notes--${ID1.replace(/=/g, '')}`);
    const section = first?.sections[0] as { name: string; runSets: { filters: unknown }[]; panels: { config: { yAxisMin: number } }[] };
    expect(first?.sections).toBe(first?.spec.panelGroups);
    expect(section.name).toBe('Sweep results');
    expect(section.runSets[0]?.filters).toEqual({
      op: 'OR',
      filters: [{ op: 'AND', filters: [{ key: { section: 'run', name: 'sweep' }, op: '=', value: 'k3x9q2ab', disabled: false }] }],
    });
    expect(section.panels[0]?.config.yAxisMin).toBeNaN();
  });

  it('pages on the last edge cursor, filters by name, and counts on the server', async () => {
    server.clearRequests();
    const list = listReports(client, P, { perPage: 1 });
    expect((await list.toArray()).map((r) => r.displayName)).toEqual(['LR search: results & notes', 'Grid summary']);
    const pages = requestsFor(server, 'ProjectViews');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(await list.count()).toBe(2);
    const named = listReports(client, P, { name: 'grid-summary' });
    expect((await named.toArray()).map((r) => r.id)).toEqual([ID2]);
    expect(await named.count()).toBe(1);
    expect(await listReports(client, 'demo/empty-project').toArray()).toEqual([]);
    await expect(listReports(client, 'demo/no-project').toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('slugs titles as W&B does', () => {
    expect(reportSlug('LR search: results & notes')).toBe('LR-search-results-notes');
    expect(reportSlug('  --Grid   summary!! ')).toBe('Grid-summary');
    expect(reportSlug('Précision ü')).toBe(encodeURIComponent('Précision-ü'));
  });
});

describe('getReport', () => {
  it('loads a report by its path or app URL, restoring the stripped base64 padding', async () => {
    const stripped = ID1.replace(/=/g, '');
    for (const path of [`${P}/reports/LR-search-results-notes--${stripped}`, `https://wandb.ai/${P}/reports/Any-Title--${stripped}`, `${P}/reports/${ID1}`]) {
      const report = await getReport(client, path);
      expect(report.id, path).toBe(ID1);
      expect(report.displayName).toBe('LR search: results & notes');
      expect(report.sections).toHaveLength(1);
    }
  });

  it('throws NotFoundError for an unknown id or another project', async () => {
    const missing = Buffer.from('View:999').toString('base64');
    await expect(getReport(client, `${P}/reports/X--${missing}`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getReport(client, `demo/llm-finetune/reports/X--${ID1}`)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses bad input before any request', async () => {
    server.clearRequests();
    await expect(getReport(client, `${P}/runs/abc`)).rejects.toBeInstanceOf(ValidationError);
    await expect(getReport(client, `${P}/reports/Bad-Name`)).rejects.toBeInstanceOf(ValidationError);
    await expect(getReport(client, `${P}/reports/a--b--c`)).rejects.toBeInstanceOf(ValidationError);
    expect(() => listReports(client, P, { name: '' })).toThrow(ValidationError);
    expect(() => listReports(client, P, { perPage: -1 })).toThrow(ValidationError);
    expect(server.requests.filter((r) => r.path === '/graphql')).toHaveLength(0);
  });
});
