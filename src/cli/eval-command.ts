import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeGrey } from '../engine/imaging/decode';
import { UsageError } from './errors';
import type { CliIo } from './io';

interface Row {
  name: string;
  sad?: number;
  mse?: number;
  gradient?: number;
  connectivity?: number;
  error?: string;
}

const toAlpha = (plane: Uint8Array) => Float32Array.from(plane, (v) => v / 255);

function pngsIn(dir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (fs.statSync(full).isFile()) map.set(path.parse(name).name, full);
  }
  return map;
}

export async function evalCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { pred: { type: 'string' }, gt: { type: 'string' }, trimaps: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.pred || !values.gt) throw new UsageError('eval needs --pred <dir> and --gt <dir>');
  for (const d of [values.pred, values.gt, values.trimaps]) if (d && !fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${d} is not a folder`);
  const { sad, mse, gradientError, connectivityError } = await import('../engine/matting/metrics/metrics');
  const preds = pngsIn(values.pred);
  const gts = pngsIn(values.gt);
  const rows: Row[] = [];
  for (const [name, gtFile] of gts) {
    const predFile = preds.get(name);
    if (!predFile) {
      rows.push({ name, error: 'no prediction' });
      continue;
    }
    try {
      const gt = await decodeGrey(gtFile);
      const pred = await decodeGrey(predFile);
      if (gt.width !== pred.width || gt.height !== pred.height) throw new Error(`size ${pred.width}×${pred.height} differs from ground truth ${gt.width}×${gt.height}`);
      let mask: Uint8Array | undefined;
      if (values.trimaps) {
        const tf = path.join(values.trimaps, `${name}.png`);
        const t = await decodeGrey(tf);
        mask = Uint8Array.from(t.data, (v) => (v !== 0 && v !== 255 ? 1 : 0));
      }
      const p = toAlpha(pred.data);
      const g = toAlpha(gt.data);
      const { width, height } = gt;
      rows.push({ name, sad: sad(p, g, width, height, mask), mse: mse(p, g, width, height, mask), gradient: gradientError(p, g, width, height, mask), connectivity: connectivityError(p, g, width, height, mask) });
    } catch (err) {
      rows.push({ name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const scored = rows.filter((r) => r.error === undefined);
  const mean = (k: 'sad' | 'mse' | 'gradient' | 'connectivity') => (scored.length ? scored.reduce((s, r) => s + (r[k] as number), 0) / scored.length : NaN);
  const means = { sad: mean('sad'), mse: mean('mse'), gradient: mean('gradient'), connectivity: mean('connectivity') };
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ images: rows, mean: means, count: scored.length }, null, 2)}\n`);
  } else {
    const fmt = (v: number | undefined, d: number) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d)).padStart(12);
    const width = Math.max(8, ...rows.map((r) => r.name.length));
    io.stdout.write(`${'image'.padEnd(width)} ${'SAD'.padStart(12)} ${'MSE'.padStart(12)} ${'Grad'.padStart(12)} ${'Conn'.padStart(12)}\n`);
    for (const r of rows) {
      io.stdout.write(r.error ? `${r.name.padEnd(width)} ${r.error}\n` : `${r.name.padEnd(width)} ${fmt(r.sad, 3)} ${fmt(r.mse, 5)} ${fmt(r.gradient, 3)} ${fmt(r.connectivity, 3)}\n`);
    }
    io.stdout.write(`${'mean'.padEnd(width)} ${fmt(means.sad, 3)} ${fmt(means.mse, 5)} ${fmt(means.gradient, 3)} ${fmt(means.connectivity, 3)}\n`);
  }
  return rows.length > 0 && scored.length === rows.length ? 0 : 1;
}
