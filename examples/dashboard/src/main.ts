// The dashboard: connect, list a project's runs in a sortable, filterable table, and chart the
// history of one metric for the selected runs. Only @wandb-api/core and @wandb-api/runs are used.
import { type WandbClient, WandbError, createClient } from '@wandb-api/core';
import { type Run, getHistory, listRuns } from '@wandb-api/runs';
import { type Series, colorOf, drawChart, pointsOf } from './chart.js';
import { type Column, type Sort, columnsFor, filterRuns, formatCell, sortRuns, summaryMetrics } from './table.js';

/** Rows the server samples each history down to (getHistory's `samples`). */
export const SAMPLES = 200;

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>('#connect');
const status = $<HTMLDivElement>('#status');
const filterBox = $<HTMLInputElement>('#filter');
const table = $<HTMLTableElement>('#runs');
const metricSelect = $<HTMLSelectElement>('#metric');
const chart = $<HTMLDivElement>('#chart');

interface State {
  client?: WandbClient;
  runs: Run[];
  columns: Column[];
  sort?: Sort;
  selected: Set<string>;
  /** Cancels the chart's history requests when the selection or metric changes again. */
  chartLoad?: AbortController;
}
const state: State = { runs: [], columns: [], selected: new Set() };

function setStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function load(baseUrl: string, apiKey: string, project: string): Promise<void> {
  setStatus(`Loading runs of ${project}…`);
  table.dataset.state = 'loading';
  try {
    const client = createClient({ baseUrl, apiKey });
    // full: config and summary come with each page; the table filters and sorts them locally.
    const runs = await listRuns(client, project, { full: true, perPage: 100 }).toArray();
    Object.assign(state, { client, runs, columns: columnsFor(runs), sort: undefined, selected: new Set<string>() });
    fillMetrics(runs);
    renderTable();
    await renderChart();
    setStatus(`${runs.length} runs in ${project}.`);
  } catch (error) {
    // WandbError messages never hold the API key; anything else is shown by its name only.
    setStatus(error instanceof WandbError ? `${error.name}: ${error.message}` : `Failed: ${String(error)}`, true);
    table.dataset.state = 'error';
  }
}

function fillMetrics(runs: readonly Run[]): void {
  metricSelect.replaceChildren(...summaryMetrics(runs).map((key) => new Option(key, key)));
}

function renderTable(): void {
  const { columns, sort } = state;
  const head = document.createElement('tr');
  head.append(document.createElement('th')); // the selection checkboxes
  for (const column of columns) {
    const th = document.createElement('th');
    th.textContent = column.label;
    th.dataset.key = column.key;
    if (sort?.key === column.key) th.setAttribute('aria-sort', sort.direction);
    th.addEventListener('click', () => toggleSort(column.key));
    head.append(th);
  }
  table.tHead!.replaceChildren(head);

  let runs = filterRuns(state.runs, filterBox.value);
  const sortColumn = columns.find((c) => c.key === sort?.key);
  if (sort && sortColumn) runs = sortRuns(runs, sortColumn, sort.direction);
  table.tBodies[0]!.replaceChildren(...runs.map(rowFor));
  table.dataset.state = 'ready';
}

function rowFor(run: Run): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.runId = run.id;
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = state.selected.has(run.id);
  box.setAttribute('aria-label', `select ${run.name}`);
  box.addEventListener('change', () => {
    if (box.checked) state.selected.add(run.id);
    else state.selected.delete(run.id);
    void renderChart();
  });
  const pick = document.createElement('td');
  pick.append(box);
  tr.append(pick);
  for (const column of state.columns) {
    const td = document.createElement('td');
    td.textContent = formatCell(column.value(run));
    td.dataset.key = column.key;
    if (column.numeric) td.className = 'num';
    tr.append(td);
  }
  return tr;
}

function toggleSort(key: string): void {
  const direction = state.sort?.key === key && state.sort.direction === 'ascending' ? 'descending' : 'ascending';
  state.sort = { key, direction };
  renderTable();
}

async function renderChart(): Promise<void> {
  state.chartLoad?.abort();
  const load = new AbortController();
  state.chartLoad = load;
  const metric = metricSelect.value;
  const runs = state.runs.filter((r) => state.selected.has(r.id));
  chart.dataset.state = 'loading';
  try {
    const series: Series[] = await Promise.all(
      runs.map(async (run) => {
        // A run object needs no path lookup; the signal drops answers nobody waits for any more.
        const rows = await getHistory(state.client!, run, { keys: [metric], samples: SAMPLES, signal: load.signal });
        return { runId: run.id, label: run.name, points: pointsOf(rows, metric) };
      }),
    );
    if (load.signal.aborted) return; // a newer selection took over while the last answer arrived
    const legend = document.createElement('div');
    legend.className = 'legend';
    series.forEach((s, i) => {
      const item = document.createElement('span');
      item.style.setProperty('--c', colorOf(i));
      item.textContent = `${s.label} (${s.points.length} points)`;
      legend.append(item);
    });
    chart.replaceChildren(drawChart(series, metric), legend);
    chart.dataset.metric = metric;
    chart.dataset.state = 'ready';
  } catch (error) {
    if (load.signal.aborted) return; // a newer selection took over
    setStatus(error instanceof WandbError ? `${error.name}: ${error.message}` : `Failed: ${String(error)}`, true);
    chart.dataset.state = 'error';
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  void load(String(data.get('baseUrl')), String(data.get('apiKey')), String(data.get('project')));
});
filterBox.addEventListener('input', renderTable);
metricSelect.addEventListener('change', () => void renderChart());

// ?baseUrl=&apiKey=&project= fill the form and load at once (the browser test uses this).
const params = new URLSearchParams(location.search);
for (const name of ['baseUrl', 'apiKey', 'project'] as const) {
  const value = params.get(name);
  if (value) (form.elements.namedItem(name) as HTMLInputElement).value = value;
}
if (params.get('baseUrl') && params.get('apiKey') && params.get('project')) form.requestSubmit();
