/**
 * `@wandb-api/admin/documents`: the typed documents Python's `Api` names as class constants
 * (`USERS_QUERY`), in an entry of their own, so the facade can hold them without importing the rest
 * of admin up front (it loads `@wandb-api/admin` on first use).
 * @module @wandb-api/admin/documents
 */
export { SearchUsersDocument } from './generated/graphql.js';
