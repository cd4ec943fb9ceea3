import type { WandbClient } from '@wandb-api/core';

/** An app (UI) URL under the client's app URL, each segment percent-encoded. */
export function appUrl(client: WandbClient, ...segments: string[]): string {
  return client.config.appUrl + segments.map(encodeURIComponent).join('/');
}
