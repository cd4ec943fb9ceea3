export * from '@wandb-api/artifacts';
