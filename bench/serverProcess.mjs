// The benchmark server's own process: startServer with the options in argv[2] (JSON), so the
// server has its own event loop, heap and RSS, and neither steals time from (nor leaves garbage or
// memory in) the client being measured. Messages: { type: 'policy', value } sets the history
// export policy; { type: 'stop' }. Each is answered with { type: 'done', id }.
import { startServer } from '@wandb-api/server';

const server = await startServer(JSON.parse(process.argv[2]));
process.on('message', async (message) => {
  if (message.type === 'policy') server.store.historyExportPolicy = message.value;
  if (message.type === 'stop') await server.stop();
  process.send({ type: 'done', id: message.id });
});
process.send({ type: 'ready', url: server.url, apiKey: server.apiKey, entity: server.entity });
