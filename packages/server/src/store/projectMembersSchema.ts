/**
 * Registry members (one MIGRATIONS entry): users and teams invited to a project with a role (W&B's
 * `createProjectMembers`). A RESTRICTED project is visible only to them (and to admins).
 */
export const PROJECT_MEMBERS_MIGRATION = `
  CREATE TABLE project_members (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,                       -- admin | member | viewer | restricted_viewer
    created_at TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX project_members_user ON project_members(user_id);
  CREATE TABLE project_team_members (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (project_id, entity_id)
  ) WITHOUT ROWID;
  CREATE INDEX project_team_members_entity ON project_team_members(entity_id);
`;
