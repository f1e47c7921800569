/** The built Node side (out/main) imports native modules by name instead of bundling them. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve('out/main');
const sources = () => fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');

describe('main build', () => {
  it.each(['better-sqlite3', 'onnxruntime-node', 'sharp'])('keeps %s external', (name) => {
    const escaped = name.replace(/[-/]/g, '\\$&');
    expect(sources()).toMatch(new RegExp(`(from |import\\()["']${escaped}["']`));
  });

  it('builds every worker thread as its own entry', () => {
    for (const worker of ['inference-worker', 'matting-worker', 'webcam-worker']) expect(fs.existsSync(path.join(dir, `${worker}.js`))).toBe(true);
  });
});
