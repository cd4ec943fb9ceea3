// stdout with backpressure: a large export waits for the pipe instead of buffering everything in
// memory. A closed pipe (`wandb-api history … | head`) ends the program quietly.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** A text sink that honours backpressure. */
export class Output {
  constructor(private readonly stream: Writable) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }

  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}
