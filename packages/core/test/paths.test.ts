import { describe, expect, it } from 'vitest';
import { ValidationError, parsePath, parseProjectPath, parseRunPath, parseSweepPath } from '@wandb-api/core';

describe('parseRunPath', () => {
  it.each([
    ['acme/mnist/runs/abc123', { entity: 'acme', project: 'mnist', runId: 'abc123' }],
    ['/acme/mnist/runs/abc123/', { entity: 'acme', project: 'mnist', runId: 'abc123' }],
    ['acme/mnist/abc123', { entity: 'acme', project: 'mnist', runId: 'abc123' }],
    ['acme/mnist:abc123', { entity: 'acme', project: 'mnist', runId: 'abc123' }],
    ['mnist/abc123', { project: 'mnist', runId: 'abc123' }],
    ['mnist:abc123', { project: 'mnist', runId: 'abc123' }],
    ['abc123', { runId: 'abc123' }],
    [' acme / mnist / abc123 ', { entity: 'acme', project: 'mnist', runId: 'abc123' }],
    ['https://wandb.ai/acme/mnist/runs/abc123', { entity: 'acme', project: 'mnist', runId: 'abc123' }],
    ['https://wandb.ai/acme/mnist/runs/abc123/overview?nw=1#x', { entity: 'acme', project: 'mnist', runId: 'abc123' }],
    ['http://localhost:8080/acme/my%2Dproj/runs/r-1', { entity: 'acme', project: 'my-proj', runId: 'r-1' }],
    // Project names may hold spaces, as W&B's.
    ['acme/my project/abc', { entity: 'acme', project: 'my project', runId: 'abc' }],
    ['http://localhost:8080/acme/my%20project/runs/abc', { entity: 'acme', project: 'my project', runId: 'abc' }],
  ])('%s', (input, expected) => {
    expect(parseRunPath(input)).toEqual(expected);
  });

  it.each([
    ['', 'missing run id'],
    ['acme/mnist/sweeps/abc', 'expected entity/project/runs/id'],
    ['a/b/c/d/e', 'expected entity/project/runs/id'],
    ['acme//abc', 'missing project'],
    ['acme/mnist:', 'missing run id'],
    ['ac me/mnist/abc', 'contains characters'],
    ['acme/mnist/a bc', 'contains characters'],
    ['acme/mn\tist/abc', 'contains characters'],
    ['https://wandb.ai/', 'names no project'],
  ])('rejects %j', (input, why) => {
    expect(() => parseRunPath(input)).toThrow(ValidationError);
    expect(() => parseRunPath(input)).toThrow(why);
  });

  it('rejects a non-string', () => {
    expect(() => parseRunPath(42 as unknown as string)).toThrow(ValidationError);
  });
});

describe('parseProjectPath', () => {
  it('parses project and entity/project forms and URLs', () => {
    expect(parseProjectPath('mnist')).toEqual({ project: 'mnist' });
    expect(parseProjectPath('acme/mnist')).toEqual({ entity: 'acme', project: 'mnist' });
    expect(parseProjectPath('https://wandb.ai/acme/mnist/workspace?x=1')).toEqual({ entity: 'acme', project: 'mnist' });
  });

  it('rejects three parts instead of silently keeping "p/x" as Python does', () => {
    expect(() => parseProjectPath('acme/mnist/extra')).toThrow(ValidationError);
  });
});

describe('parsePath (fromPath)', () => {
  it('decides the kind by part count and the third part', () => {
    expect(parsePath('mnist')).toEqual({ kind: 'project', project: 'mnist' });
    expect(parsePath('acme/mnist')).toEqual({ kind: 'project', entity: 'acme', project: 'mnist' });
    expect(parsePath('acme/mnist/abc')).toEqual({ kind: 'run', entity: 'acme', project: 'mnist', runId: 'abc' });
    expect(parsePath('acme/mnist/runs/abc')).toEqual({ kind: 'run', entity: 'acme', project: 'mnist', runId: 'abc' });
    expect(parsePath('acme/mnist/sweeps/sw1')).toEqual({ kind: 'sweep', entity: 'acme', project: 'mnist', sweepId: 'sw1' });
    expect(parsePath('https://wandb.ai/acme/mnist/runs/abc/logs')).toEqual({ kind: 'run', entity: 'acme', project: 'mnist', runId: 'abc' });
  });

  it('parses report paths and restores the base64 padding that URLs strip', () => {
    expect(parsePath('acme/mnist/reports/My-Great-Report--VmlldzoxMjM')).toEqual({
      kind: 'report',
      entity: 'acme',
      project: 'mnist',
      displayName: 'My Great Report',
      reportId: 'VmlldzoxMjM=',
    });
    expect(() => parsePath('acme/mnist/reports/Only-Name')).toThrow('Invalid report path');
    expect(() => parsePath('acme/mnist/reports/a--b--c')).toThrow(ValidationError);
  });

  it('rejects unknown types and long paths', () => {
    expect(() => parsePath('acme/mnist/tables/x')).toThrow(ValidationError);
    expect(() => parsePath('a/b/c/d/e')).toThrow('ENTITY/PROJECT/TYPE/ID');
  });

  it('parses sweep paths', () => {
    expect(parseSweepPath('acme/mnist/sweeps/sw1')).toEqual({ entity: 'acme', project: 'mnist', sweepId: 'sw1' });
    expect(parseSweepPath('mnist/sw1')).toEqual({ project: 'mnist', sweepId: 'sw1' });
  });
});
