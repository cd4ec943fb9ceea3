// LaunchError lives in @wandb-api/core so the facade can export it without loading launch's code.
export { LaunchError } from '@wandb-api/core';
