// Use-case "the whole facade": the Python-shaped Api class and what it pulls in.
import { Api } from 'wandb-api';

const api = new Api({ apiKey: 'x'.repeat(40) });
console.log(await api.viewer());
for await (const run of api.runs('acme/mnist', { filters: { state: 'finished' } })) console.log(run.name, run.summary);
const project = await api.project('mnist');
console.log(project.name, await api.fromPath('acme/mnist/abc123'));
