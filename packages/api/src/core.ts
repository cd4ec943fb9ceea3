export * from '@wandb-api/core';
