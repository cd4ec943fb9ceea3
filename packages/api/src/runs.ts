export * from '@wandb-api/runs';
