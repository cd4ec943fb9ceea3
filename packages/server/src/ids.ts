/**
 * W&B global ids: base64 of "<Type>:<key>". Runs use the storage id form
 * "Run:v1:<name>:<project>:<entity>", which mutations send back as `id`.
 */

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export const userGid = (id: number): string => b64(`User:${id}`);
export const entityGid = (id: number): string => b64(`Entity:${id}`);
export const projectGid = (id: number): string => b64(`Project:${id}`);
/** Project.internalId: W&B's second project id, `ProjectInternalId:<n>` (n is the numeric Run.projectId). */
export const projectInternalGid = (id: number): string => b64(`ProjectInternalId:${id}`);
export const apiKeyGid = (id: number): string => b64(`ApiKey:${id}`);
export const inviteGid = (id: number): string => b64(`Invite:${id}`);
export const triggerGid = (id: number): string => b64(`Trigger:${id}`);
export const integrationGid = (id: number): string => b64(`Integration:${id}`);
export const runGid = (name: string, project: string, entity: string): string => b64(`Run:v1:${name}:${project}:${entity}`);

/** Decodes a global id of the given type; undefined when it is not one. */
export function decodeGid(type: 'User' | 'Entity' | 'Project' | 'ApiKey' | 'Invite' | 'Trigger' | 'Integration', gid: string): number | undefined {
  const text = Buffer.from(gid, 'base64').toString('utf8');
  const match = new RegExp(`^${type}:(\\d+)$`).exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Decodes a run storage id to its parts; undefined when it is not one. */
export function decodeRunGid(gid: string): { name: string; project: string; entity: string } | undefined {
  const parts = Buffer.from(gid, 'base64').toString('utf8').split(':');
  if (parts.length < 5 || parts[0] !== 'Run' || parts[1] !== 'v1') return undefined;
  // Run and entity names hold no ':'; anything between them belongs to the project name.
  return { name: parts[2] as string, project: parts.slice(3, -1).join(':'), entity: parts[parts.length - 1] as string };
}
