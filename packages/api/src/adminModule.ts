// Admin (users, teams, automations, integrations, custom charts, organizations) loads on first use
// (a dynamic import) so pages that never touch it do not download it; only the class constant
// USERS_QUERY comes up front, from admin's separately built documents entry.
/**
 * Imports `@wandb-api/admin`, once; every user, team, automation, integration, custom chart and
 * organization call of the facade goes through it.
 * @example const { getUser } = await loadAdmin();
 */
export const loadAdmin = () => import('@wandb-api/admin');
