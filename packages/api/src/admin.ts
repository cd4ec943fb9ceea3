export * from '@wandb-api/admin';
