// @wandb-api/artifacts: functions arrive with their issue; the package exists so its import path is stable.
export {};
