/**
 * Projects. Visibility: PRIVATE (and ENTITY_*) projects are visible only to members of the owning
 * entity and to admins; RESTRICTED ones only to the entity's admins and to admins; other access values
 * (PUBLIC, USER_READ, USER_WRITE) to everyone; any project to its own members (projectMembers.ts).
 */
import { UserInputError } from '../errors';
import type { Db } from './db';
import { decodeCursor, encodeCursor, keysetAfter, type Page } from './cursor';
import type { SqlValue } from './filters';
import type { UserRow } from './users';
import { storeNow, wandbTime } from './time';

export interface ProjectRow {
  id: number;
  entity_id: number;
  entity_name: string;
  name: string;
  description: string | null;
  access: string;
  views: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface NewProject {
  entityId: number;
  name: string;
  access?: string | null | undefined;
  description?: string | null | undefined;
  views?: string | null | undefined;
  createdBy?: number | null | undefined;
  createdAt?: Date | string | number | undefined;
}

export interface ProjectPatch {
  access?: string | null | undefined;
  description?: string | null | undefined;
  views?: string | null | undefined;
}

const MEMBERS_ONLY = ['PRIVATE', 'ENTITY_READ', 'ENTITY_WRITE'];
const quoted = (values: readonly string[]) => values.map((a) => `'${a}'`).join(', ');

/**
 * Whether the viewer (params: admin flag, then the user id four times) may see project `p`: admins
 * always; members-only access (PRIVATE, ENTITY_*) to members of the owning entity; RESTRICTED (a
 * restricted registry) only to the entity's admins; other access to everyone — and any project to
 * its own members (project_members), users or teams (registry members).
 */
const VISIBLE = `(? = 1
  OR p.access NOT IN (${quoted([...MEMBERS_ONLY, 'RESTRICTED'])})
  OR (p.access != 'RESTRICTED' AND EXISTS (SELECT 1 FROM members m WHERE m.entity_id = p.entity_id AND m.user_id = ?))
  OR (p.access = 'RESTRICTED' AND EXISTS (SELECT 1 FROM members m WHERE m.entity_id = p.entity_id AND m.user_id = ? AND m.role = 'admin'))
  OR EXISTS (SELECT 1 FROM project_members pm WHERE pm.project_id = p.id AND pm.user_id = ?)
  OR EXISTS (SELECT 1 FROM project_team_members pt JOIN members tm ON tm.entity_id = pt.entity_id WHERE pt.project_id = p.id AND tm.user_id = ?))`;
const visibleParams = (viewer: UserRow): SqlValue[] => [viewer.admin, viewer.id, viewer.id, viewer.id, viewer.id];
const SELECT = 'SELECT p.*, e.name AS entity_name FROM projects p JOIN entities e ON e.id = p.entity_id';

/**
 * Project, run and user names: no path separators or URL-special characters (W&B rejects them too).
 * Project names may hold spaces, as W&B's (`wandb.init(project="my project")`); links encode them.
 */
export function checkName(kind: string, name: string): void {
  const spaces = kind === 'project' ? /\p{Cc}/u : /\s/;
  if (name.length === 0 || name.length > 128 || /[/\\#?%:]/.test(name) || spaces.test(name)) {
    const rule = kind === 'project' ? 'control characters' : 'spaces';
    throw new UserInputError(`invalid ${kind} name ${JSON.stringify(name)}: 1–128 characters without / \\ # ? % : or ${rule}`);
  }
}

function normalizeAccess(access: string | null | undefined): string | undefined {
  if (access === null || access === undefined) return undefined;
  const upper = access.toUpperCase();
  if (!/^[A-Z_]{1,32}$/.test(upper)) throw new UserInputError(`invalid access ${JSON.stringify(access)}`);
  return upper;
}

export class Projects {
  constructor(private readonly db: Db) {}

  insert(input: NewProject): ProjectRow {
    checkName('project', input.name);
    const now = wandbTime(input.createdAt ?? storeNow());
    const { id } = this.db
      .prepare(
        'INSERT INTO projects (entity_id, name, description, access, views, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(
        input.entityId,
        input.name,
        input.description ?? null,
        normalizeAccess(input.access) ?? 'PRIVATE',
        input.views ?? null,
        input.createdBy ?? null,
        now,
        now,
      ) as { id: number };
    return this.byId(id) as ProjectRow;
  }

  update(id: number, patch: ProjectPatch): ProjectRow {
    const current = this.byId(id);
    if (!current) throw new UserInputError(`no project with id ${id}`);
    this.db
      .prepare('UPDATE projects SET description = ?, access = ?, views = ?, updated_at = ? WHERE id = ?')
      .run(
        patch.description ?? current.description,
        normalizeAccess(patch.access) ?? current.access,
        patch.views ?? current.views,
        wandbTime(),
        id,
      );
    return this.byId(id) as ProjectRow;
  }

  byId(id: number): ProjectRow | undefined {
    return this.db.prepare(`${SELECT} WHERE p.id = ?`).get(id) as ProjectRow | undefined;
  }

  byName(entityId: number, name: string): ProjectRow | undefined {
    return this.db.prepare(`${SELECT} WHERE p.entity_id = ? AND p.name = ?`).get(entityId, name) as ProjectRow | undefined;
  }

  /** Whether `viewer` may see `project` (see VISIBLE). */
  isVisible(project: ProjectRow, viewer: UserRow): boolean {
    return this.db.prepare(`SELECT 1 FROM projects p WHERE p.id = ? AND ${VISIBLE}`).get(project.id, ...visibleParams(viewer)) !== undefined;
  }

  /** One page of the projects of every entity the user belongs to (User.projects), oldest first, keyset-paged on the id. */
  ofMember(userId: number, page: { first: number; after?: string | null | undefined }): Page<ProjectRow> {
    const after = page.after ? decodeCursor(page.after, 0).id : 0;
    const rows = this.db
      .prepare(`${SELECT} WHERE p.entity_id IN (SELECT entity_id FROM members WHERE user_id = ?) AND p.id > ? ORDER BY p.id LIMIT ?`)
      .all(userId, after, page.first + 1) as ProjectRow[];
    return { items: rows.slice(0, page.first).map((node) => ({ node, cursor: encodeCursor([], node.id) })), hasNextPage: rows.length > page.first };
  }

  /** One page of the entity's projects visible to `viewer`, oldest first, keyset-paged on the id. */
  list(entityId: number, viewer: UserRow, page: { first: number; after?: string | null | undefined }): Page<ProjectRow> {
    const params: SqlValue[] = [entityId, ...visibleParams(viewer)];
    let keyset = '';
    if (page.after) {
      const after = keysetAfter([], false, decodeCursor(page.after, 0), 'p.id');
      keyset = `AND ${after.sql}`;
      params.push(...after.params);
    }
    params.push(page.first + 1);
    const rows = this.db
      .prepare(
        `${SELECT} WHERE p.entity_id = ? AND ${VISIBLE}
           ${keyset}
         ORDER BY p.id LIMIT ?`,
      )
      .all(...params) as ProjectRow[];
    const hasNextPage = rows.length > page.first;
    return {
      items: rows.slice(0, page.first).map((node) => ({ node, cursor: encodeCursor([], node.id) })),
      hasNextPage,
    };
  }
}
