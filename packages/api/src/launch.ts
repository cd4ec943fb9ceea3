export * from '@wandb-api/launch';
