/**
 * `@wandb-api/admin`: users, API keys, teams, members, service accounts, organizations, and
 * automations with their integrations, secrets and custom charts, as tree-shakable functions of a
 * client. Most of them need a team admin or a server admin.
 * @module @wandb-api/admin
 */
export { type ApiKey, type User, createUser, deleteApiKey, generateApiKey, getUser, listUsers, toUser } from './users.js';
export {
  type Invite,
  type Member,
  type Team,
  createServiceAccount,
  createTeam,
  deleteMember,
  getTeam,
  inviteMember,
  toTeam,
} from './teams.js';
export { type Organization, type OrganizationMember, getOrganization } from './organizations.js';
export { SearchUsersDocument } from './generated/graphql.js';
// Automations, integrations, secrets and custom charts (also the entry @wandb-api/admin/automations).
export * from './automations/index.js';
