// Reads under faults: the same runs, history rows and file bytes as without them.
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '@wandb-api/server';
import { downloadArtifactWorkload, listRunsWorkload, scanHistoryGraphqlWorkload, scanHistoryParquetWorkload } from '../bench/soakWorkloads.js';
import { soak, startSoakServer } from './support.js';

describe('reads', () => {
  const servers: LocalServer[] = [];
  const serverFor = async (options: Parameters<typeof startSoakServer>[0]) => {
    const server = await startSoakServer(options);
    servers.push(server);
    return server;
  };
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it('lists 10,000 runs: the same ids in the same order, none twice, none missing', async () => {
    await soak(listRunsWorkload, await serverFor(listRunsWorkload.server));
  });

  it('scans 200,000 history rows through GraphQL and through parquet: the same rows', async () => {
    // Both paths read the same run: one server.
    const server = await serverFor(scanHistoryGraphqlWorkload.server);
    const graphql = await soak(scanHistoryGraphqlWorkload, server);
    const parquet = await soak(scanHistoryParquetWorkload, server);
    // scanHistory promises the same rows either way.
    expect(parquet.clean.result).toEqual(graphql.clean.result);
  });

  it('downloads a 200-file artifact: the same bytes (MD5 per file)', async () => {
    const server = await serverFor(downloadArtifactWorkload.server);
    await soak(downloadArtifactWorkload, server);
    // Bodies cut short or stalled were resumed from where they broke off (the hooks see no body failure of a stream).
    expect(server.requests.filter((r) => r.path.startsWith('/artifact-blob/') && r.range?.startsWith('bytes=')).length).toBeGreaterThan(0);
  });
});
