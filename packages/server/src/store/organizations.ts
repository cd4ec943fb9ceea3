/**
 * Organizations: a display name, an org entity (a team entity that holds the registries) and members.
 * Team entities may belong to one organization (Entity.organization).
 */
import { UserInputError } from '../errors';
import type { Db } from './db';
import type { EntityRow } from './entities';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

/** A row of the `organizations` table. */
export interface OrganizationRow {
  /** The row id. */
  id: number;
  /** The display name (`demo-org`). */
  name: string;
  /** The entity that owns the organization's registries. */
  org_entity_id: number;
  /** 1 when the organization has W&B's "advanced" registry search, else 0. */
  advanced_search: number;
  /** W&B-formatted creation time. */
  created_at: string;
}

/**
 * The organizations table: organizations, their members and the entities that belong to them.
 * @example const org = organizations(store).byName('demo-org');
 */
export class Organizations {
  constructor(private readonly db: Db) {}

  /** Adds an organization owning `orgEntityId`; a UserInputError for a bad or taken name. */
  insert(input: { name: string; orgEntityId: number; createdAt?: string }): OrganizationRow {
    if (input.name.length === 0 || input.name.length > 128) throw new UserInputError(`invalid organization name ${JSON.stringify(input.name)}`);
    if (this.byName(input.name)) throw new UserInputError(`organization ${input.name} already exists`);
    const org = this.db
      .prepare('INSERT INTO organizations (name, org_entity_id, created_at) VALUES (?, ?, ?) RETURNING *')
      .get(input.name, input.orgEntityId, input.createdAt ?? wandbTime()) as OrganizationRow;
    this.addEntity(org.id, input.orgEntityId);
    return org;
  }

  /** The organization with this row id. */
  byId(id: number): OrganizationRow | undefined {
    return this.db.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as OrganizationRow | undefined;
  }

  /** The organization with this display name. */
  byName(name: string): OrganizationRow | undefined {
    return this.db.prepare('SELECT * FROM organizations WHERE name = ?').get(name) as OrganizationRow | undefined;
  }

  /** The organization a (team) entity belongs to. */
  ofEntity(entityId: number): OrganizationRow | undefined {
    return this.db
      .prepare('SELECT o.* FROM organization_entities oe JOIN organizations o ON o.id = oe.org_id WHERE oe.entity_id = ?')
      .get(entityId) as OrganizationRow | undefined;
  }

  /** The organizations a user is a member of, oldest first. */
  ofUser(userId: number): OrganizationRow[] {
    return this.db
      .prepare('SELECT o.* FROM organization_members m JOIN organizations o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY o.id')
      .all(userId) as OrganizationRow[];
  }

  /** Whether a user is a member of an organization. */
  isMember(orgId: number, userId: number): boolean {
    return this.db.prepare('SELECT 1 FROM organization_members WHERE org_id = ? AND user_id = ?').get(orgId, userId) !== undefined;
  }

  /** Members (users) and their roles, oldest user first. */
  members(orgId: number): { userId: number; role: string }[] {
    return (
      this.db
        .prepare('SELECT m.user_id, m.role FROM organization_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.id')
        .all(orgId) as { user_id: number; role: string }[]
    ).map((r) => ({ userId: r.user_id, role: r.role }));
  }

  /** Adds a user to an organization (no-op when already a member). */
  addMember(orgId: number, userId: number, role = 'member'): void {
    this.db.prepare('INSERT OR IGNORE INTO organization_members (org_id, user_id, role) VALUES (?, ?, ?)').run(orgId, userId, role);
  }

  /** Makes an entity belong to an organization (moving it from another). */
  addEntity(orgId: number, entityId: number): void {
    this.db.prepare('INSERT OR REPLACE INTO organization_entities (entity_id, org_id) VALUES (?, ?)').run(entityId, orgId);
  }

  /** Turns W&B's "advanced" registry search on or off for an organization. */
  setAdvancedSearch(orgId: number, on: boolean): void {
    this.db.prepare('UPDATE organizations SET advanced_search = ? WHERE id = ?').run(on ? 1 : 0, orgId);
  }
}

/** What `createOrganization` needs: the display name, its entity and its members. */
export interface CreateOrganizationInput {
  /** Display name, e.g. `demo-org`. */
  name: string;
  /** The org entity (a team entity, created when missing), e.g. `demo-org-entity`. */
  entity: string;
  /** Usernames; they join the organization and its org entity (the first as admin). */
  members: string[];
  /** Existing team entities that belong to the organization too. */
  teams?: string[];
}

/**
 * The organization table of a Store.
 * @example organizations(store).byName('demo-org')?.org_entity_id
 */
export const organizations: (store: Store) => Organizations = storePart((store) => new Organizations(store.db));

/**
 * Creates an organization with its org entity and members (tests and seeds).
 * @example createOrganization(store, { name: 'demo-org', entity: 'demo-org-entity', members: ['demo', 'bob'] })
 */
export function createOrganization(
  store: Store,
  input: CreateOrganizationInput,
): {
  /** The organization's row id. */
  id: number;
  /** Its display name. */
  name: string;
  /** Its org entity (a team entity). */
  entity: EntityRow;
} {
  return store.db.transaction(() => {
    const users = input.members.map((username) => {
      const user = store.users.byName(username);
      if (!user) throw new UserInputError(`user ${JSON.stringify(username)} does not exist`);
      return user;
    });
    const entity = store.entities.byName(input.entity) ?? store.entities.insert({ name: input.entity, isTeam: true });
    const orgs = organizations(store);
    const org = orgs.insert({ name: input.name, orgEntityId: entity.id });
    users.forEach((u, i) => {
      orgs.addMember(org.id, u.id, i === 0 ? 'admin' : 'member');
      store.entities.addMember(entity.id, u.id, i === 0 ? 'admin' : 'member');
    });
    for (const team of input.teams ?? []) {
      const t = store.entities.byName(team);
      if (!t) throw new UserInputError(`entity ${JSON.stringify(team)} does not exist`);
      orgs.addEntity(org.id, t.id);
    }
    return { id: org.id, name: org.name, entity };
  });
}
