// Starts the benchmark's server in a child process (serverProcess.mjs): ours, the floor and the
// Python baseline all talk to it over loopback HTTP, as they would to W&B, so the client's timings
// and peak RSS hold only the client's own work.
import { fork } from 'node:child_process';
import type { StartServerOptions } from '@wandb-api/server';

type HistoryExportPolicy = 'finished' | 'all' | 'off';

export interface BenchServer {
  url: string;
  apiKey: string;
  entity: string;
  /** Sets the server's history export policy (parquet exports offered or not). */
  setHistoryExports(policy: HistoryExportPolicy): Promise<void>;
  /** CPU time the server process used so far, in ms (every thread). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

type Message = { type: 'ready'; url: string; apiKey: string; entity: string } | { type: 'done'; id: number; value?: unknown };

export async function startBenchServer(options: StartServerOptions): Promise<BenchServer> {
  const child = fork(new URL('./serverProcess.mjs', import.meta.url), [JSON.stringify(options)], { execArgv: process.env.BENCH_SERVER_EXEC_ARGV ? process.env.BENCH_SERVER_EXEC_ARGV.split(' ') : [], stdio: 'inherit' });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`benchmark server exited (${code})`))));
  exited.catch(() => {});
  const ready = await Promise.race([
    new Promise<Message & { type: 'ready' }>((resolve) => child.once('message', (m: Message) => m.type === 'ready' && resolve(m))),
    exited,
  ]);
  let ids = 0;
  const call = (message: Record<string, unknown>) => {
    const id = ++ids;
    const done = new Promise<unknown>((resolve) => {
      const onMessage = (m: Message) => {
        if (m.type !== 'done' || m.id !== id) return;
        child.off('message', onMessage);
        resolve(m.value);
      };
      child.on('message', onMessage);
    });
    child.send({ ...message, id });
    return Promise.race([done, exited]);
  };
  return {
    url: ready.url,
    apiKey: ready.apiKey,
    entity: ready.entity,
    setHistoryExports: async (policy) => void (await call({ type: 'policy', value: policy })),
    cpuMs: async () => (await call({ type: 'cpu' })) as number,
    stop: async () => {
      await call({ type: 'stop' });
      child.disconnect();
    },
  };
}
