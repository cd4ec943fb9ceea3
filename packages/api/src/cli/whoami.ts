// `wandb-api whoami`: the user behind the configured API key, and which server it is on.
import { getViewer, stringifyJson } from '@wandb-api/core';
import type { Command, CommandContext } from './command.js';

export const WHOAMI_USAGE = 'wandb-api whoami [--json]';

/**
 * Prints the viewer (JSON with `--json`).
 * @example await whoamiCommand(ctx, false);
 */
export async function whoamiCommand(ctx: CommandContext, json: boolean): Promise<void> {
  const client = ctx.client();
  const me = await getViewer(client, ctx.signal ? { signal: ctx.signal } : {});
  const info = { username: me.username, entity: me.entity, email: me.email, admin: me.admin, teams: me.teams, baseUrl: client.config.baseUrl };
  if (json) return ctx.out.write(`${stringifyJson(info)}\n`);
  await ctx.out.write(
    [
      `username: ${me.username ?? me.name}`,
      `entity:   ${me.entity ?? ''}`,
      ...(me.email ? [`email:    ${me.email}`] : []),
      ...(me.teams.length ? [`teams:    ${me.teams.join(', ')}`] : []),
      `server:   ${client.config.baseUrl}`,
    ].join('\n') + '\n',
  );
}

/** `wandb-api whoami`. */
export const WHOAMI: Command = {
  name: 'whoami',
  summary: 'the user behind the API key, and the server',
  usage: WHOAMI_USAGE,
  options: {},
  positionals: [],
  details: 'With --json the user is printed as one JSON object (username, entity, email, admin, teams, baseUrl).',
  run: (cmd, ctx) => whoamiCommand(ctx, cmd.json),
};
