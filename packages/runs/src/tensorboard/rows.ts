// TensorBoard events → W&B history rows, as wandb's TensorBoard sync builds them (tb_watcher.py and
// integration/tensorboard/log.py `_log`): events of all files in wall-time order; every event's
// values are merged into the current row, and the row is committed when its namespace's step goes
// up (unless another namespace already reached that step, so train/ and validation/ at one step
// share a row). Each row holds `global_step` (the TensorBoard step; `<ns>/global_step` too for a
// sub-directory namespace), `_timestamp` (the event's wall time) and `_step` (the row number).
// Tags of a sub-directory are prefixed with it: `train/loss`.
import type { SummaryValue, TbEvent } from './events.js';
import { type MediaFile, imagesValue } from './media.js';

/** An event and the namespace (directory relative to the synced root, '' for the root) it came from. */
export interface NamespacedEvent {
  readonly namespace: string;
  readonly event: TbEvent;
  /** The file it was read from, for reports. */
  readonly file: string;
}

/** A value W&B does not keep, reported once per file, tag and reason. */
export interface SkippedValue {
  /** The tfevents file, relative to the synced folder. */
  readonly file: string;
  /** The tag, namespaced like the history keys (`train/audio`). */
  readonly tag: string;
  /** The step of its first occurrence. */
  readonly step: number;
  /** Why W&B does not keep it. */
  readonly reason: string;
}

/** What {@link buildHistory} makes of a set of events. */
export interface HistoryBuild {
  /** History rows in order, with `_step`, `_timestamp` and the values by namespaced tag. */
  rows: Record<string, unknown>[];
  /** Image files the rows refer to. */
  media: MediaFile[];
  /** Values left out, once per file, tag and reason. */
  skipped: SkippedValue[];
}

const namespaced = (tag: string, namespace: string): string => (namespace ? `${namespace}/${tag}` : tag);

/**
 * Builds the history rows of a set of events (sorted here by wall time; the sort is stable, so
 * events of one file keep their order on ties).
 * @example const { rows } = buildHistory([{ namespace: '', file: 'events.out.tfevents.1', event }]);
 */
export function buildHistory(events: readonly NamespacedEvent[]): HistoryBuild {
  const sorted = [...events].sort((a, b) => a.event.wallTime - b.event.wallTime);
  const rows: Record<string, unknown>[] = [];
  const media: MediaFile[] = [];
  const skipped: SkippedValue[] = [];
  const seenSkips = new Set<string>();
  const lastStep = new Map<string, number>();
  let globalStep = 0;
  let row: Record<string, unknown> = {};
  const flush = () => {
    if (Object.keys(row).length === 0) return;
    row._step = rows.length;
    rows.push(row);
    row = {};
  };

  for (const { namespace, event, file } of sorted) {
    if (!event.values || event.values.length === 0) continue;
    const step = event.step;
    let commit = (lastStep.get(namespace) ?? 0) < step;
    if (commit && step === globalStep) commit = false;
    if (step > globalStep) globalStep = step;
    lastStep.set(namespace, step);
    if (commit) flush();

    const values: Record<string, unknown> = { [namespaced('global_step', namespace)]: step, _timestamp: event.wallTime };
    if (namespace) values.global_step = globalStep;
    const images = new Map<string, Uint8Array[]>();
    for (const v of event.values) {
      if (v.kind === 'skipped') {
        const key = `${file}\0${v.tag}\0${v.reason}`;
        if (!seenSkips.has(key)) {
          seenSkips.add(key);
          skipped.push({ file, tag: namespaced(v.tag, namespace), step, reason: v.reason });
        }
      } else if (v.kind === 'images') {
        collectImages(images, v, namespace);
      } else {
        values[namespaced(v.tag, namespace)] = valueOf(v);
      }
    }
    for (const [key, list] of images) {
      // The row these values land in gets _step = rows.length when it is committed.
      const { files, value } = imagesValue(key, rows.length, list);
      media.push(...files);
      values[key] = value;
    }
    Object.assign(row, values);
  }
  flush();
  return { rows, media, skipped };
}

function valueOf(v: Exclude<SummaryValue, { kind: 'skipped' | 'images' }>): unknown {
  if (v.kind === 'histogram') return { _type: 'histogram', values: v.values, bins: v.bins };
  return v.value;
}

/**
 * log.py's image keys: `/` and `\` become `_` (history keys name files), and tags ending in
 * `/<number>` (several images of one summary) are gathered under the tag without it.
 */
function collectImages(into: Map<string, Uint8Array[]>, v: Extract<SummaryValue, { kind: 'images' }>, namespace: string): void {
  const slash = v.tag.lastIndexOf('/');
  const grouped = slash >= 0 && /^\d+$/.test(v.tag.slice(slash + 1));
  const key = namespaced((grouped ? v.tag.slice(0, slash) : v.tag).replace(/[/\\]/g, '_'), namespace);
  if (grouped) into.set(key, [...(into.get(key) ?? []), ...v.images]);
  else into.set(key, [...v.images]);
}
