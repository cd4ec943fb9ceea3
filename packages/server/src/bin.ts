#!/usr/bin/env node
/** wandb-api-server: runs the local W&B-compatible server until SIGINT/SIGTERM. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SCHEMA_PROFILES, type SchemaProfile } from './graphql/profiles';
import type { FaultRule } from './http/faults';
import type { TrustedIssuer } from './http/oidc';
import type { SeedSpec } from './seed/seed';
import { startServer } from './server';

const HELP = `Usage: wandb-api-server [options]

A local W&B-compatible GraphQL server for tests, demos and benchmarks.

Options:
  --port N         port to listen on (default 0: a free port)
  --host H         interface to bind (default 127.0.0.1)
  --data-dir DIR   keep state in DIR/wandb.sqlite (default: in memory)
  --seed S         demo | empty | runs:N | history:N   (applied only to a new database; default empty)
  --fault JSON     a fault rule, e.g. '{"status":503,"count":2}' (repeatable)
  --schema P       current | w&b-2023: the W&B schema to speak (default current; w&b-2023 is
                   the schema of April 2023, to act as an older W&B Server)
  --public-url URL            the URL clients reach the API by behind a proxy (default: from
                              each request's X-Forwarded-* or Host headers)
  --public-storage-url URL    the URL clients reach the storage origin by (default behind a
                              proxy: <public url>/storage)
  --trust-issuer JSON         a JWT issuer POST /oidc/token trusts (repeatable), e.g.
                              '{"issuer":"https://idp.test","secret":"…"}' or
                              '{"issuer":"…","publicKeyFile":"key.pem","audience":"wandb"}'
  -h, --help       show this help

Prints url, apiKey and storageUrl, then serves until interrupted.`;

function parseSeed(text: string | undefined): SeedSpec | undefined {
  if (text === undefined || text === 'demo' || text === 'empty') return text;
  const match = /^runs:(\d+)$/.exec(text);
  if (match) return { runs: Number(match[1]) };
  const rows = /^history:(\d+)$/.exec(text);
  if (rows) return { historyRows: Number(rows[1]) };
  throw new Error(`--seed must be demo, empty, runs:N or history:N, got ${JSON.stringify(text)}`);
}

function parseSchema(text: string): SchemaProfile {
  if (!(SCHEMA_PROFILES as readonly string[]).includes(text)) throw new Error(`--schema must be ${SCHEMA_PROFILES.join(' or ')}, got ${JSON.stringify(text)}`);
  return text as SchemaProfile;
}

function parseFault(text: string): FaultRule {
  const rule = JSON.parse(text) as unknown;
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) throw new Error(`--fault must be a JSON object: ${text}`);
  return rule as FaultRule;
}

function parseIssuer(text: string): TrustedIssuer {
  const spec = JSON.parse(text) as Record<string, unknown> | null;
  if (spec === null || typeof spec !== 'object' || typeof spec.issuer !== 'string') throw new Error(`--trust-issuer must be a JSON object with an "issuer": ${text}`);
  const { issuer, secret, publicKeyFile, audience } = spec;
  if ((typeof secret === 'string') === (typeof publicKeyFile === 'string')) throw new Error(`--trust-issuer needs either "secret" or "publicKeyFile": ${text}`);
  return {
    issuer,
    ...(typeof secret === 'string' ? { secret } : { publicKey: readFileSync(publicKeyFile as string, 'utf8') }),
    ...(typeof audience === 'string' ? { audience } : {}),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      fault: { type: 'string', multiple: true },
      schema: { type: 'string' },
      'public-url': { type: 'string' },
      'public-storage-url': { type: 'string' },
      'trust-issuer': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const seed = parseSeed(values.seed);

  const server = await startServer({
    port,
    ...(values.host ? { host: values.host } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(seed ? { seed } : {}),
    faults: (values.fault ?? []).map(parseFault),
    ...(values.schema ? { schema: parseSchema(values.schema) } : {}),
    ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
    ...(values['public-storage-url'] ? { publicStorageUrl: values['public-storage-url'] } : {}),
    ...(values['trust-issuer'] ? { identity: { issuers: values['trust-issuer'].map(parseIssuer) } } : {}),
  });
  console.log(`url: ${server.url}`);
  console.log(`apiKey: ${server.apiKey}`);
  console.log(`storageUrl: ${server.storageUrl}`);
  console.log(`username: ${server.username}`);

  const shutdown = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`wandb-api-server: ${(err as Error).message}`);
  process.exit(1);
});
