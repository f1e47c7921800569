/**
 * npm run build && npx tsx bench/webcam-browser.ts [--seconds 8] [--rounds 2] [--modes default,canvas] [--driver direct|playwright] [--threads] [--pair] [--background 'Colour on grey']
 *
 * The webcam end to end as a person sees it (issue 15's target: >= 25 fps at 640x480 in browser
 * mode on 2 cores): the built browser-mode server, Debian's Chromium with its fake camera fed a
 * 30 fps 640x480 clip, the webcam page compositing "Colour on grey". Alternates page modes in the
 * same run, so load on the machine hits them alike: `default` (camera frames read as I420,
 * lockstep: the next frame leaves when the last alpha came back), `canvas` (`?capture=canvas`:
 * the video drawn on a canvas and read back as RGBA, what browsers without
 * MediaStreamTrackProcessor do) and `inflight2` (`?inFlight=2`: two frames in flight).
 * Per mode: frames shown per second (counted on the page over the window), the frame-to-matte
 * latency and the engine time the overlay reports (medians of 4 readings a second), and CPU ms
 * per frame shown of the server and of Chromium. --threads also prints that CPU by process type
 * and thread, and this process's own.
 * Chromium is started directly and read with DevTools' Runtime.evaluate alone (`--driver direct`,
 * bench/lib/cdp-page.ts), as close to a person's browser as a headless run gets. `--driver
 * playwright` drives it as the e2e tests do: Playwright has DevTools report every WebSocket
 * message, base64-encoded, so Chromium and the bench pay a cost per byte on the wire that a
 * person's browser does not.
 * --pair: the same with a trained pair chosen in the window (training/export.py, untrained weights).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startBuiltWebServer } from '../test/helpers/browser';
import { type EvaluatingPage, openDirectPage } from './lib/cdp-page';
import { writeAstronautY4m } from '../test/fixtures/webcam/clip';
import { exportUntrainedPair } from '../test/fixtures/webcam/pair';
import { median, printTable } from './lib/measure';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    pair: { type: 'boolean', default: false },
    /** The background radio's label: the page's compositing cost differs between them. */
    background: { type: 'string', default: 'Colour on grey' },
    /** Also print Chromium's CPU per frame shown by process type and thread (where the page's cost goes). */
    threads: { type: 'boolean', default: false },
    /** The page modes to alternate (comma-separated names of `pageModes`). */
    modes: { type: 'string', default: 'default,canvas' },
    /**
     * Who drives Chromium: `direct` (default) starts it as a person would and only evaluates
     * expressions over DevTools; `playwright` drives it with Playwright, as the e2e tests do,
     * which also costs the DevTools network events of every WebSocket message.
     */
    driver: { type: 'string', default: 'direct' },
  },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-bench-webcam-browser-'));
const models = path.join(root, 'models');
fs.mkdirSync(models);
for (const f of ['selfie-landscape.json', 'selfie-landscape.onnx', 'selfie-general.json', 'selfie-general.onnx']) fs.copyFileSync(path.resolve('models', f), path.join(models, f));
if (values.pair) exportUntrainedPair(models, 'bench', 320);
const clip = await writeAstronautY4m(path.join(root, 'clip.y4m'), 640, 480, 30, 30);
const server = await startBuiltWebServer(path.join(root, 'app-data'), { SHM_MODELS_DIR: models });
const DRIVER = values.driver;
if (DRIVER !== 'direct' && DRIVER !== 'playwright') throw new Error('--driver takes direct or playwright');
const cameraArgs = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`];
const browser: Browser | null = DRIVER === 'playwright' ? await launchBrowser(cameraArgs) : null;


interface Sample {
  fps: number;
  latency: number;
  engine: number;
  /** CPU ms per frame shown (Linux /proc): the server (engine, workers, socket) and Chromium (all its processes). */
  serverCpu: number;
  browserCpu: number;
}

/** utime + stime in ms of a process and all its descendants but `skip`'s (Linux /proc; 0 elsewhere). */
function treeCpuMs(root: number | undefined, skip: (number | undefined)[] = []): number {
  if (!root || !fs.existsSync('/proc')) return 0;
  const stats = new Map<number, { ppid: number; ms: number }>();
  const tick = 1000 / 100; // USER_HZ
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ms: (Number(fields[11]) + Number(fields[12])) * tick });
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    total += stats.get(pid)?.ms ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid && !skip.includes(child)) todo.push(child);
  }
  return total;
}
/** Chromium's processes: this process's descendants but the server's tree, without this process itself. */
const browserCpuMs = () => treeCpuMs(process.pid, [server.child.pid]) - treeCpuMs(process.pid, [server.child.pid, ...childPids()]);
/**
 * CPU ms of every thread of Chromium's processes and of the server's, keyed "process type /
 * thread name" (Linux /proc).
 */
function threadsMs(): Map<string, number> {
  const out = new Map<string, number>();
  const server = new Set(descendants(server_pid()));
  for (const pid of descendants(process.pid)) {
    if (pid === process.pid) continue;
    let type = 'browser';
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (server.has(pid)) type = 'server';
      else if (!cmd.includes('chrom')) continue;
      else type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
      const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
      if (sub) type += `:${sub.split('.').pop()}`;
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const raw = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')')).replace(/\d+$/, '#');
        const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
        const key = `${type} / ${name}`;
        out.set(key, (out.get(key) ?? 0) + (Number(f[11]) + Number(f[12])) * 10);
      }
    } catch {
      // the process or thread ended meanwhile
    }
  }
  return out;
}
const server_pid = () => server.child.pid ?? -1;
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(raw.slice(raw.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, pp] of parent) if (pp === out[i]) out.push(pid);
  return out;
}
function childPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const raw = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(raw.slice(raw.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The page's ways of running, each a query of the webcam page. */
const pageModes = {
  default: { query: '', label: 'default (camera frames as I420, lockstep)' },
  canvas: { query: '?capture=canvas', label: 'canvas readback as RGBA (?capture=canvas), lockstep' },
  inflight2: { query: '?inFlight=2', label: 'I420, two frames in flight (?inFlight=2)' },
} as const;
type PageMode = keyof typeof pageModes;

/** What the bench reads on the page, as expressions evaluated there (the same for either driver). */
const onPage = {
  shown: `Number(document.querySelector('[data-testid="webcam-stage"]')?.getAttribute('data-frames') ?? 0)`,
  latency: `document.querySelector('[data-testid="webcam-latency"]')?.textContent ?? ''`,
  overlay: `document.querySelector('[data-testid="webcam-overlay"]')?.textContent ?? ''`,
  slot: `document.querySelector('[data-testid="webcam-model"]')?.getAttribute('data-slot') ?? ''`,
  chooseBackground: (label: string) =>
    `(() => { const b = [...document.querySelectorAll('[role="radio"]')].find((e) => e.textContent.trim() === ${JSON.stringify(label)}); if (!b) return false; b.click(); return true; })()`,
  chooseModel: (id: string) =>
    `(() => { const s = document.querySelector('[data-testid="model-select"]'); s.value = ${JSON.stringify(id)}; s.dispatchEvent(new Event('change', { bubbles: true })); return s.value; })()`,
};

/** Opens the webcam page (the token's visit first: it sets the cookie, and the page drops every query parameter of that URL). */
async function openWebcamPage(query: string): Promise<EvaluatingPage> {
  if (DRIVER === 'direct') {
    const page = await openDirectPage(server.url, cameraArgs);
    try {
      await poll(async () => (await page.evaluate<string>('document.readyState === "complete" && location.origin')) === server.origin, 'Chromium did not open the studio');
      await page.evaluate(`location.href = ${JSON.stringify(`${server.origin}/webcam${query}`)}`);
      return page;
    } catch (err) {
      await page.close();
      throw err;
    }
  }
  const page: Page = await browser!.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(server.url);
  await page.goto(`${server.origin}/webcam${query}`);
  return { evaluate: (expression) => page.evaluate(expression), close: () => page.close() };
}

async function poll(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await done().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(what);
    await sleep(200);
  }
}

async function measure(mode: PageMode): Promise<Sample> {
  const page = await openWebcamPage(pageModes[mode].query);
  try {
    const shown = () => page.evaluate<number>(onPage.shown);
    await poll(async () => (await shown()) >= 10, 'the webcam page showed no frames');
    if (!(await page.evaluate<boolean>(onPage.chooseBackground(values.background)))) throw new Error(`no background named ${values.background}`);
    if (values.pair) {
      await page.evaluate(onPage.chooseModel('bench'));
      await poll(async () => (await page.evaluate<string>(onPage.slot)) === 'pair', 'the trained pair never ran');
      const settle = await shown();
      await poll(async () => (await shown()) >= settle + 5, 'no frames with the pair');
    }
    const latency: number[] = [];
    const engine: number[] = [];
    const first = await shown();
    const cpu0 = { server: treeCpuMs(server.child.pid), browser: browserCpuMs() };
    const threads0 = values.threads ? threadsMs() : null;
    const own0 = process.cpuUsage();
    const t0 = Date.now();
    while (Date.now() - t0 < SECONDS * 1000) {
      await sleep(250);
      latency.push(Number(/(\d+)\s*ms/.exec(await page.evaluate<string>(onPage.latency))?.[1]));
      engine.push(Number(/engine ([\d.]+) ms/.exec(await page.evaluate<string>(onPage.overlay))?.[1]));
    }
    const frames = (await shown()) - first;
    const serverCpu = (treeCpuMs(server.child.pid) - cpu0.server) / frames;
    const browserCpu = (browserCpuMs() - cpu0.browser) / frames;
    if (threads0) {
      const own = process.cpuUsage(own0);
      console.log(`this process (${DRIVER === 'direct' ? 'the bench' : 'Playwright, the DevTools events it is sent'}): ${((own.user + own.system) / 1000 / frames).toFixed(1)} ms CPU per frame shown`);
      const rows = [...threadsMs()].map(([k, ms]) => [k, (ms - (threads0.get(k) ?? 0)) / frames] as const).filter(([, ms]) => ms >= 0.5);
      rows.sort((a, b) => b[1] - a[1]);
      console.log(`CPU ms per frame shown, by process / thread (${mode}):\n${rows.map(([k, ms]) => `  ${ms.toFixed(1).padStart(6)}  ${k}`).join('\n')}`);
    }
    return { fps: (frames * 1000) / (Date.now() - t0), latency: median(latency), engine: median(engine), serverCpu, browserCpu };
  } finally {
    await page.close();
  }
}

console.log(`webcam in Chromium over browser mode: 640x480 fake camera at 30 fps, ${values.pair ? 'a trained pair' : 'the automatic model'}, background ${values.background}, ${SECONDS} s per window, ${ROUNDS} rounds, driver ${DRIVER}, ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}`);
const modes = values.modes.split(',').filter((m): m is PageMode => m in pageModes);
if (!modes.length) throw new Error(`--modes takes some of ${Object.keys(pageModes).join(', ')}`);
const results = Object.fromEntries(modes.map((m) => [m, [] as Sample[]])) as Record<PageMode, Sample[]>;
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of modes) {
      const s = await measure(mode);
      results[mode].push(s);
      console.log(
        `round ${r + 1}, ${mode}: ${s.fps.toFixed(1)} fps, latency ${s.latency.toFixed(0)} ms, engine ${s.engine.toFixed(1)} ms, CPU per frame: server ${s.serverCpu.toFixed(1)} ms, Chromium ${s.browserCpu.toFixed(1)} ms (load ${os.loadavg()[0].toFixed(1)})`,
      );
    }
  }
} finally {
  await browser?.close();
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
const row = (m: PageMode) => [pageModes[m].label, ...(['fps', 'latency', 'engine', 'serverCpu', 'browserCpu'] as const).map((k) => median(results[m].map((s) => s[k])))];
console.log('\nmedians over rounds (CPU: ms of CPU time per frame shown; on 2 cores the fps cannot pass 2000 / (server + Chromium))');
printTable(['page', 'fps', 'latency ms', 'engine ms', 'server CPU', 'Chromium CPU'], modes.map(row));
const fpsOf = (m: PageMode) => median(results[m].map((s) => s.fps));
console.log(`${modes.map((m) => `${m} ${fpsOf(m).toFixed(1)} fps`).join(', ')}; target 25 fps with the default page: ${fpsOf(modes[0]) >= 25 && modes[0] === 'default' ? 'met' : 'NOT met'}`);
