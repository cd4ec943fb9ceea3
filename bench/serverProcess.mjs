// The benchmark server's own process: startServer with the options in argv[2] (JSON), so the
// server has its own event loop, heap and RSS, and neither steals time from (nor leaves garbage or
// memory in) the client being measured. Messages: { type: 'policy', value } sets the history
// export policy; { type: 'cpu' } asks for the CPU time the process used so far (ms, every thread);
// { type: 'stop' }. Each is answered with { type: 'done', id } (and `value` for 'cpu').
import { startServer } from '@wandb-api/server';

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const server = await startServer(JSON.parse(process.argv[2]));
process.on('message', async (message) => {
  if (message.type === 'policy') server.store.historyExportPolicy = message.value;
  if (message.type === 'stop') await server.stop();
  const value = message.type === 'cpu' ? cpuMs() : undefined;
  process.send({ type: 'done', id: message.id, value });
});
process.send({ type: 'ready', url: server.url, apiKey: server.apiKey, entity: server.entity });
