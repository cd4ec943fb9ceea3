// Python-shaped teams and members: the decoded fields of @wandb-api/admin plus methods that delegate
// to its functions. No behaviour lives here.
import type { CallOptions, WandbClient } from '@wandb-api/core';
import type { Member as MemberData, Team as TeamData } from '@wandb-api/admin';
import { loadAdmin } from './adminModule.js';

/**
 * A member of a team, or a pending invite (`pending: true`).
 * @example const admins = (await api.team('vision-team')).members.filter((m) => m.admin);
 */
export class Member {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: MemberData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /**
   * Removes the member from the team, or withdraws the invite. Unlike Python (false), failures throw.
   * @example await team.members.find((m) => m.username === 'carol')?.delete();
   */
  async delete(options?: CallOptions): Promise<boolean> {
    return (await loadAdmin()).deleteMember(this.#client, this, options);
  }
}
export interface Member extends MemberData {}

/**
 * A team with its members, as `api.team(name)` and `api.createTeam(name)` return it.
 * @example const team = await api.team('vision-team'); console.log(team.members.map((m) => m.username));
 */
export class Team {
  readonly #client: WandbClient;
  /** Members, then pending invites. */
  members: Member[];

  constructor(client: WandbClient, data: TeamData) {
    this.#client = client;
    const { members, ...rest } = data;
    Object.assign(this, rest);
    this.members = members.map((m) => new Member(client, m));
  }

  /**
   * Invites a user by username, or by email when the argument holds '@'; `admin` as a team admin.
   * Returns true; unlike Python (false), failures throw typed errors.
   * @example await team.invite('carol@example.com', { admin: true });
   */
  async invite(usernameOrEmail: string, options?: { admin?: boolean } & CallOptions): Promise<boolean> {
    await (await loadAdmin()).inviteMember(this.#client, this.name, usernameOrEmail, options);
    return true;
  }

  /**
   * Creates a service account in the team and returns it as a member (with its API key); the
   * team's members are reloaded.
   * @example const bot = await team.createServiceAccount('CI bot'); console.log(bot.apiKey);
   */
  async createServiceAccount(description: string, options?: CallOptions): Promise<Member> {
    const member = new Member(this.#client, await (await loadAdmin()).createServiceAccount(this.#client, this.name, description, options));
    await this.reload(options);
    return this.members.find((m) => m.id === member.id) ?? member;
  }

  /**
   * Loads the team again (members and invites change on the server).
   * @example await team.reload(); console.log(team.members.length);
   */
  async reload(options?: CallOptions): Promise<this> {
    const { members, ...rest } = await (await loadAdmin()).getTeam(this.#client, this.name, options);
    Object.assign(this, rest);
    this.members = members.map((m) => new Member(this.#client, m));
    return this;
  }
}
export interface Team extends Omit<TeamData, 'members'> {}
