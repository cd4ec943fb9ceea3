// `wandb-api whoami`: the user behind the configured API key, and which server it is on.
import { type WandbClient, getViewer, stringifyJson } from '@wandb-api/core';
import type { Output } from './output.js';

export const WHOAMI_USAGE = 'wandb-api whoami [--json]';

/**
 * Prints the viewer (JSON with `--json`).
 * @example await whoamiCommand(client, false, new Output(process.stdout));
 */
export async function whoamiCommand(client: WandbClient, json: boolean, out: Output): Promise<void> {
  const me = await getViewer(client);
  const info = { username: me.username, entity: me.entity, email: me.email, admin: me.admin, teams: me.teams, baseUrl: client.config.baseUrl };
  if (json) return out.write(`${stringifyJson(info)}\n`);
  await out.write(
    [
      `username: ${me.username ?? me.name}`,
      `entity:   ${me.entity ?? ''}`,
      ...(me.email ? [`email:    ${me.email}`] : []),
      ...(me.teams.length ? [`teams:    ${me.teams.join(', ')}`] : []),
      `server:   ${client.config.baseUrl}`,
    ].join('\n') + '\n',
  );
}
