// Use-case "download an artifact file in the browser": look the version up, read its manifest
// entry, and stream the file with its MD5 checked (no fs, no facade).
import { createClient } from '@wandb-api/core';
import { artifactFileStream, getArtifact, getEntry } from '@wandb-api/artifacts';

const client = createClient({ apiKey: 'x'.repeat(40) });
const artifact = await getArtifact(client, 'acme/mnist/mnist-dataset:latest');
const entry = await getEntry(client, artifact, 'train/0001.png');
const stream = await artifactFileStream(client, entry, { artifact });
let bytes = 0;
for await (const chunk of stream) bytes += chunk.length;
console.log(bytes);
