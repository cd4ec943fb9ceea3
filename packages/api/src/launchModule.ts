// Launch loads on first use (a dynamic import) so pages that never touch it do not download it.
/**
 * Imports `@wandb-api/launch`, once; every launch call of the facade goes through it.
 * @example const { getRunQueue } = await launch();
 */
export const launch = () => import('@wandb-api/launch');
