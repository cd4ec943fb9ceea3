// Use-case "download an artifact file in the browser". Until @wandb-api/artifacts exports
// getArtifact and artifactFileStream, this measures what such a download needs today: the client
// and one file fetched through its request loop (credentials only under the base URL), read as a
// stream. When they land, replace the body with:
//   const artifact = await getArtifact(client, 'acme/mnist/mnist-dataset:latest');
//   const stream = await artifactFileStream(client, artifact, 'train/0001.png');
import { createClient } from '@wandb-api/core';

const client = createClient({ apiKey: 'x'.repeat(40) });
const response = await client.fetch('https://api.wandb.ai/artifactsV2/default/acme/file.bin');
let bytes = 0;
for await (const chunk of response.body) bytes += chunk.length;
console.log(bytes);
