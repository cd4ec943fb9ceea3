// Starts the replay server (replayServer.mjs) in a child process, in front of a benchmark server:
// runs listings are served from answers recorded in memory, so listing benchmarks measure clients.
import { fork } from 'node:child_process';

export interface ReplayServer {
  url: string;
  stop(): Promise<void>;
}

/** A replay server recording from `upstream`, adding `latencyMs` to every answer. */
export async function startReplayServer(upstream: string, latencyMs = 0): Promise<ReplayServer> {
  const child = fork(new URL('./replayServer.mjs', import.meta.url), [JSON.stringify({ upstream, latencyMs })], { stdio: 'inherit' });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`replay server exited (${code})`)));
  });
  return {
    url,
    stop: async () => {
      const done = new Promise((resolve) => child.once('message', resolve));
      child.send({ type: 'stop' });
      await done;
      child.disconnect();
    },
  };
}
