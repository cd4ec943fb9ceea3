/**
 * Webhook delivery for automations: POSTs the rendered payload to the integration's URL as W&B does
 * (JSON body, `Authorization: Bearer <access token>` when the webhook names one, `X-Wandb-Signature`:
 * the base64 HMAC-SHA256 of the body with the webhook's secret) and records the answer on the
 * execution. Requests run in the background, one attempt each with a timeout; `settled()` waits for
 * those in flight (tests read the history after it).
 */
import { createHmac } from 'node:crypto';
import type { Dispatcher, WebhookJob } from '../store/automationEvents';
import type { Store } from '../store/store';
import { triggerExecutions } from '../store/triggerExecutions';

/** How long one webhook request may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The body's signature as W&B sends it in X-Wandb-Signature. */
export function webhookSignature(body: string, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

export class WebhookDispatcher implements Dispatcher {
  readonly #inFlight = new Set<Promise<void>>();
  /** Aborts the requests under way when the server stops. */
  readonly #stopping = new AbortController();
  #closed = false;

  constructor(
    private readonly store: Store,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {}

  send(job: WebhookJob): void {
    const delivery = this.#deliver(job).finally(() => this.#inFlight.delete(delivery));
    this.#inFlight.add(delivery);
  }

  /** Resolves once every request sent so far (and any they set off) has an outcome. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  async #deliver(job: WebhookJob): Promise<void> {
    const executions = triggerExecutions(this.store);
    const headers: Record<string, string> = { ...job.headers, 'user-agent': 'wandb-api-server-automations' };
    if (job.signingKey !== undefined) headers['x-wandb-signature'] = webhookSignature(job.body, job.signingKey);
    try {
      const res = await fetch(job.url, { method: 'POST', headers, body: job.body, signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.#stopping.signal]), redirect: 'manual' });
      await res.body?.cancel();
      if (this.#closed) return;
      executions.finish(job.executionId, res.ok ? { state: 'SUCCEEDED', responseStatus: res.status } : { state: 'FAILED', responseStatus: res.status, error: `HTTP ${res.status}` });
    } catch (err) {
      if (this.#closed) return;
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      executions.finish(job.executionId, { state: 'FAILED', error: (err as Error).name === 'TimeoutError' ? `no answer in ${this.timeoutMs} ms` : (cause ?? (err as Error).message) });
    }
  }

  /** The server is stopping: requests under way are aborted and their outcomes dropped. */
  close(): void {
    this.#closed = true;
    this.#stopping.abort();
  }
}
