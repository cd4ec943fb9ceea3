// Automations, integrations, custom charts and organizations load on first use (a dynamic import of
// their own entry of @wandb-api/admin) so pages that never touch them do not download them.
/**
 * Imports `@wandb-api/admin/automations`, once; every automation, integration, custom chart and
 * organization call of the facade goes through it.
 * @example const { listAutomations } = await loadAutomations();
 */
export const loadAutomations = () => import('@wandb-api/admin/automations');
