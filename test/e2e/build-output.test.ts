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

  it('builds every worker thread that the source spawns as its own entry', () => {
    const spawned = new Set<string>();
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/spawnWorker\(import\.meta\.url, '([\w-]+)'\)/g)) spawned.add(m[1]);
      }
    };
    walk(path.resolve('src'));
    expect(spawned.size).toBeGreaterThanOrEqual(4);
    for (const worker of spawned) expect(fs.existsSync(path.join(dir, `${worker}.js`)), `${worker}.js`).toBe(true);
  });
});
