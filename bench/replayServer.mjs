// The replay server (its own process): answers runs listings from answers recorded once from the
// benchmark's real server and kept in memory, so a listing benchmark measures clients, not our
// server. argv[2] is JSON { upstream, latencyMs }.
//
// A runs query (any client's document: ours, the floor's, Python's) is recorded the first time its
// text is seen: the whole project, oldest first, in one upstream request, each run's node kept as
// JSON text. Any page of it is then served by slicing: the order (±created_at), a createdAt range
// (alone or in `$and` with `{}`, as windowed listings send), the page size and a cursor (an index
// into the filtered list). RunsBound is answered from the same record. Every other request (the
// viewer, feature probes) is sent upstream once and its answer replayed. `latencyMs` delays every
// answer (a remote server's round trip).
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const { upstream, latencyMs = 0 } = JSON.parse(process.argv[2]);
const SECOND_PRECISION = /(z|[+-]\d\d:?\d\d)$/i;
const timeOf = (text) => Date.parse(SECOND_PRECISION.test(text) ? text : `${text}Z`);

/** query text + other variables → { runs: [{ t, json }], skeleton } */
const records = new Map();
/** request body → { status, type, body } */
const answers = new Map();

async function post(headers, body) {
  const response = await fetch(`${upstream}/graphql`, { method: 'POST', headers, body });
  return { status: response.status, type: response.headers.get('content-type') ?? 'application/json', body: Buffer.from(await response.arrayBuffer()) };
}

/** The runs connection under `data.project` (its key is `runs`). */
const isRunsListing = (query) => /\bruns\s*\(/.test(query) && !/query RunsBound\b/.test(query);

async function record(headers, query, variables, operationName) {
  const { cursor, perPage, filters, order, ...rest } = variables;
  const key = `${query}\n${JSON.stringify(rest)}`;
  let entry = records.get(key);
  if (entry) return entry;
  const runs = [];
  let skeleton;
  for (let after = null; ; ) {
    const answer = await post(headers, JSON.stringify({ query, operationName, variables: { ...rest, cursor: after, perPage: 10_000, filters: '{}', order: '+created_at' } }));
    const json = JSON.parse(answer.body.toString('utf8'));
    const connection = json.data.project.runs;
    for (const edge of connection.edges) runs.push({ t: timeOf(edge.node.createdAt), json: JSON.stringify(edge.node) });
    skeleton ??= json;
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.edges.at(-1).cursor;
  }
  skeleton.data.project.runs = '\u0000RUNS\u0000';
  const [head, tail] = JSON.stringify(skeleton).split('"\\u0000RUNS\\u0000"');
  entry = { runs, head, tail };
  records.set(key, entry);
  return entry;
}

/** The runs a filter selects: {} or a createdAt range, alone or `$and`-ed with {}. */
function select(runs, filters) {
  const parsed = JSON.parse(filters || '{}');
  const parts = parsed.$and ?? [parsed];
  let range = {};
  for (const part of parts) {
    const keys = Object.keys(part);
    if (keys.length === 0) continue;
    if (keys.length !== 1 || keys[0] !== 'createdAt') throw new Error(`replay server: unsupported filters ${filters}`);
    range = { ...range, ...part.createdAt };
  }
  const bounds = Object.fromEntries(Object.entries(range).map(([op, value]) => [op, timeOf(value)]));
  return runs.filter(
    ({ t }) =>
      (bounds.$gte === undefined || t >= bounds.$gte) &&
      (bounds.$gt === undefined || t > bounds.$gt) &&
      (bounds.$lt === undefined || t < bounds.$lt) &&
      (bounds.$lte === undefined || t <= bounds.$lte),
  );
}

function descending(order) {
  const text = order ?? '+created_at';
  if (!/^[+-]?(created_at|createdAt)$/.test(text)) throw new Error(`replay server: unsupported order ${order}`);
  return text.startsWith('-');
}

async function answer(headers, raw) {
  const { query, operationName, variables = {} } = JSON.parse(raw);
  if (/query RunsBound\b/.test(query)) {
    const entry = [...records.values()][0];
    const runs = select(entry.runs, variables.filters);
    const run = descending(variables.order) ? runs.at(-1) : runs[0];
    const edges = run ? [{ node: { createdAt: JSON.parse(run.json).createdAt } }] : [];
    return { status: 200, type: 'application/json', body: Buffer.from(JSON.stringify({ data: { project: { runs: { edges } } } })) };
  }
  if (isRunsListing(query)) {
    const entry = await record(headers, query, variables, operationName);
    let runs = select(entry.runs, variables.filters);
    if (descending(variables.order)) runs = [...runs].reverse();
    const from = variables.cursor ? Number(variables.cursor) : 0;
    const page = runs.slice(from, from + (variables.perPage ?? 50));
    const edges = page.map((run, i) => `{"node":${run.json},"cursor":"${from + i + 1}"}`).join(',');
    const end = from + page.length;
    const connection = `{"edges":[${edges}],"pageInfo":{"endCursor":${page.length ? `"${end}"` : 'null'},"hasNextPage":${end < runs.length}}}`;
    return { status: 200, type: 'application/json', body: Buffer.from(entry.head + connection + entry.tail) };
  }
  let cached = answers.get(raw);
  if (!cached) answers.set(raw, (cached = await post(headers, raw)));
  return cached;
}

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = { 'content-type': 'application/json' };
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  try {
    const reply = await answer(headers, Buffer.concat(chunks).toString('utf8'));
    if (latencyMs) await sleep(latencyMs);
    res.writeHead(reply.status, { 'Content-Type': reply.type, 'Content-Length': reply.body.length });
    res.end(reply.body);
  } catch (error) {
    res.writeHead(500, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
  }
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', url: `http://127.0.0.1:${server.address().port}` }));
process.on('message', (message) => {
  if (message.type === 'stop') server.close(() => process.send({ type: 'done' }));
  if (message.type === 'stop') server.closeAllConnections();
});
