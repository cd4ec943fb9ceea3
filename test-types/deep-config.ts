// A realistic, deeply nested training config (an LLM fine-tune): filters and orders over it must
// compile quickly (paths are bounded at 5 keys) and still catch typos deep down.
import type { Paginated, Run, RunFilter, RunOrder } from 'wandb-api';
import { Api } from 'wandb-api';
import { expectTypeOf } from 'expect-type';

interface FineTuneConfig {
  seed: number;
  output_dir: string;
  model: {
    name_or_path: string;
    dtype: 'float16' | 'bfloat16' | 'float32';
    max_position_embeddings: number;
    rope_scaling: { type: 'linear' | 'dynamic' | 'yarn'; factor: number; original_max_position_embeddings?: number } | null;
    attention: { implementation: 'eager' | 'sdpa' | 'flash_attention_2'; dropout: number; heads: number; kv_heads: number };
    quantization?: { load_in_4bit: boolean; bnb_4bit_quant_type: 'nf4' | 'fp4'; bnb_4bit_compute_dtype: string; double_quant: boolean };
  };
  lora: { r: number; alpha: number; dropout: number; target_modules: string[]; bias: 'none' | 'all' | 'lora_only'; task_type: string };
  optimizer: { name: 'adamw_torch' | 'adamw_8bit' | 'lion' | 'sgd'; lr: number; weight_decay: number; betas: [number, number]; eps: number; fused?: boolean };
  scheduler: { name: 'cosine' | 'linear' | 'constant_with_warmup'; warmup_ratio: number; warmup_steps: number; num_cycles?: number };
  data: {
    dataset: string;
    split: { train: string; eval: string };
    max_seq_length: number;
    packing: boolean;
    preprocessing: { num_workers: number; tokenizer: { padding_side: 'left' | 'right'; truncation: boolean; add_eos: boolean } };
    mixture?: Record<string, number>;
  };
  trainer: {
    epochs: number;
    max_steps: number;
    per_device_batch_size: number;
    gradient_accumulation_steps: number;
    gradient_checkpointing: boolean;
    precision: { bf16: boolean; fp16: boolean; tf32: boolean };
    distributed: { strategy: 'ddp' | 'fsdp' | 'deepspeed'; world_size: number; fsdp?: { sharding: string; offload: { params: boolean; optimizer: boolean } } };
    logging: { steps: number; eval_steps: number; save_steps: number; report_to: string[] };
  };
  eval: { metrics: string[]; generation: { max_new_tokens: number; temperature: number; top_p: number; do_sample: boolean } };
}

interface FineTuneSummary {
  'train/loss': number;
  'train/grad_norm': number;
  'train/learning_rate': number;
  'eval/loss': number;
  'eval/perplexity': number;
  'eval/accuracy'?: number;
  _step: number;
  _runtime: number;
  throughput: { tokens_per_second: number; samples_per_second: number };
}

type Filter = RunFilter<FineTuneConfig, FineTuneSummary>;
type Order = RunOrder<FineTuneConfig, FineTuneSummary>;

export const filter: Filter = {
  state: 'finished',
  'config.model.dtype': 'bfloat16',
  'config.model.rope_scaling.type': { $in: ['yarn', 'dynamic'] },
  'config.model.quantization.bnb_4bit_quant_type': 'nf4',
  'config.lora.r': { $gte: 16 },
  'config.optimizer.lr': { $lte: 2e-4 },
  'config.trainer.distributed.fsdp.offload.params': true,
  'config.data.preprocessing.tokenizer.padding_side': 'left',
  'config.data.mixture.code': { $gt: 0.2 },
  'summary_metrics.eval/perplexity': { $lt: 8 },
  'summary_metrics.throughput.tokens_per_second': { $gt: 1000 },
  $or: [{ 'config.scheduler.name': 'cosine' }, { 'config.scheduler.warmup_steps': { $gt: 100 } }],
};
// @ts-expect-error a typo four levels down
export const typo: Filter = { 'config.data.preprocessing.tokenizer.paddingside': 'left' };
// @ts-expect-error a value outside the literal union, four levels down
export const badValue: Filter = { 'config.trainer.distributed.strategy': 'horovod' };

export const orders: Order[] = ['-summary_metrics.eval/accuracy', '+summary_metrics.train/loss', '-config.lora.r', '+config.optimizer.value.lr'];
// @ts-expect-error a summary key the type lacks
export const badOrder: Order = '-summary_metrics.eval/acc';

export const runs = new Api({ apiKey: 'x'.repeat(40) }).runs<FineTuneConfig, FineTuneSummary>('acme/llm', { filters: filter, order: '-summary_metrics.eval/perplexity' });
expectTypeOf(runs).toEqualTypeOf<Paginated<Run<FineTuneConfig, FineTuneSummary>>>();
