import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

const requireHere = createRequire(import.meta.url);

import { CodedError } from '../../shared/coded-error';
import { concreteProviders, type ConcreteProvider, type ExecutionProviderSetting } from '../../shared/vocabulary';

export const PROVIDERS = concreteProviders;
export type Provider = ConcreteProvider;
export type ProviderSetting = ExecutionProviderSetting;

export interface ProviderAttempt {
  provider: Provider;
  ok: boolean;
  reason: string;
}

export interface ProviderReport {
  requested: ProviderSetting;
  active: Provider;
  tried: ProviderAttempt[];
}

export type InferenceErrorCode = 'PROVIDER_UNAVAILABLE' | 'INFERENCE_FAILED' | 'SERVICE_CLOSED';

export class InferenceError extends CodedError<InferenceErrorCode> {
  override readonly name = 'InferenceError';
}

/**
 * A one-node model (y = Relu(x), x and y float [1, 4]): enough to make a provider initialise its
 * device and run a kernel. Stored as its ONNX bytes, so the worker does not load protobufjs to
 * build it; test/unit/models/providers.test.ts checks they equal what OnnxGraphBuilder writes.
 */
export const PROBE_MODEL_BASE64 =
  'CAgSCnNobS1zdHVkaW86UgoWCgF4EgF5GghuX1JlbHVfMCIEUmVsdRIOcHJvdmlkZXJfcHJvYmVaEwoBeBIOCgwIARIICgIIAQoCCARiEwoBeRIOCgwIARIICgIIAQoCCARCAhAR';

let probeModel: Uint8Array | null = null;

function tinyModel(): Uint8Array {
  return (probeModel ??= new Uint8Array(Buffer.from(PROBE_MODEL_BASE64, 'base64')));
}

function shortReason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // onnxruntime prefixes source paths and repeats itself; keep the sentence a person can act on.
  const plain = /(Failed to [^\n]*)/.exec(text)?.[1];
  const line = plain ?? text.split('\n').find((l) => l.trim()) ?? text;
  return line.replace(/^.*?\] /, '').replace(/^\/onnxruntime_src\/\S+ /, '').slice(0, 300);
}

/** Whether this onnxruntime-node build knows the provider (CUDA is listed but an opt-in download). */
function known(provider: Provider): boolean {
  return provider === 'cpu' || ort.listSupportedBackends().some((b) => b.name === provider);
}

/**
 * On Linux the CUDA provider is a library that `npm run gpu:cuda` downloads beside the binding.
 * Without it a probe only makes onnxruntime print a load error, so say so without trying.
 */
function cudaLibraryMissing(): boolean {
  if (process.platform !== 'linux') return false;
  const ortDir = path.dirname(requireHere.resolve('onnxruntime-node/package.json'));
  return !existsSync(path.join(ortDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
}

/** Folders the Linux dynamic loader searches: LD_LIBRARY_PATH, /etc/ld.so.conf.d, the defaults. */
function librarySearchPath(): string[] {
  const multiarch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  try {
    for (const f of readdirSync('/etc/ld.so.conf.d')) {
      if (!f.endsWith('.conf')) continue;
      for (const line of readFileSync(path.join('/etc/ld.so.conf.d', f), 'utf8').split('\n')) {
        const dir = line.trim();
        if (dir.startsWith('/')) dirs.push(dir);
      }
    }
  } catch {
    // no ld.so.conf.d: the defaults below
  }
  return [...dirs, `/lib/${multiarch}`, `/usr/lib/${multiarch}`, '/lib64', '/usr/lib64', '/lib', '/usr/lib'];
}

/**
 * On Linux, onnxruntime's WebGPU (Dawn) runs on Vulkan. Without the Vulkan loader a probe fails
 * anyway and Dawn prints a warning on stderr on every run, so 'auto' skips it (an explicit
 * --ep webgpu still tries, and shows onnxruntime's own error).
 */
export function vulkanLoaderMissing(searchPath: string[] = librarySearchPath()): boolean {
  if (process.platform !== 'linux') return false;
  return !searchPath.some((dir) => existsSync(path.join(dir, 'libvulkan.so.1')));
}

export async function probeProvider(provider: Provider): Promise<ProviderAttempt> {
  if (!known(provider)) return { provider, ok: false, reason: 'not in this onnxruntime-node build' };
  if (provider === 'cuda' && cudaLibraryMissing()) {
    return { provider, ok: false, reason: 'CUDA binaries not installed (npm run gpu:cuda): libonnxruntime_providers_cuda.so is missing' };
  }
  try {
    const session = await ort.InferenceSession.create(tinyModel(), { executionProviders: [provider], logSeverityLevel: 4 });
    try {
      const y = await session.run({ x: new ort.Tensor('float32', Float32Array.of(-1, 0, 1, 2), [1, 4]) });
      const out = y.y.data as Float32Array;
      if (out[0] !== 0 || out[3] !== 2) return { provider, ok: false, reason: 'probe model gave a wrong result' };
    } finally {
      await session.release();
    }
    return { provider, ok: true, reason: 'probe session ran' };
  } catch (e) {
    const reason = shortReason(e);
    if (provider === 'cuda' && /shared library|libonnxruntime_providers/i.test(reason)) {
      return { provider, ok: false, reason: `CUDA binaries not installed (npm run gpu:cuda): ${reason}` };
    }
    return { provider, ok: false, reason };
  }
}

/** auto: CUDA, then WebGPU, then CPU; an explicit provider must work or it is an error. */
export async function selectProvider(requested: ProviderSetting): Promise<ProviderReport> {
  const order: Provider[] = requested === 'auto' ? [...PROVIDERS] : [requested];
  const tried: ProviderAttempt[] = [];
  for (const p of order) {
    const attempt =
      requested === 'auto' && p === 'webgpu' && vulkanLoaderMissing()
        ? { provider: p, ok: false, reason: 'the Vulkan loader (libvulkan.so.1) is not installed; WebGPU on Linux runs on Vulkan' }
        : await probeProvider(p);
    tried.push(attempt);
    if (attempt.ok) return { requested, active: p, tried };
  }
  if (requested !== 'auto') {
    throw new InferenceError('PROVIDER_UNAVAILABLE', `execution provider ${requested} is not available: ${tried[0].reason}`);
  }
  throw new InferenceError('PROVIDER_UNAVAILABLE', `no execution provider works: ${tried.map((t) => `${t.provider}: ${t.reason}`).join('; ')}`);
}
