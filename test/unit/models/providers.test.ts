import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBE_MODEL_BASE64, probeProvider, vulkanLoaderMissing } from '../../../src/engine/inference/providers.js';
import { OnnxGraphBuilder } from '../../../src/engine/models/onnx/graph-builder.js';
import { OnnxType } from '../../../src/engine/models/onnx/proto.js';

describe.runIf(process.platform === 'linux')('vulkanLoaderMissing (auto skips WebGPU without it)', () => {
  it('looks for libvulkan.so.1 in the library search path', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-vk-'));
    const withLoader = fs.mkdtempSync(path.join(os.tmpdir(), 'shm-vk-'));
    fs.writeFileSync(path.join(withLoader, 'libvulkan.so.1'), '');
    expect(vulkanLoaderMissing([empty])).toBe(true);
    expect(vulkanLoaderMissing([empty, withLoader])).toBe(false);
    fs.rmSync(empty, { recursive: true });
    fs.rmSync(withLoader, { recursive: true });
  });
});

describe('the provider probe model', () => {
  it('is the one-node Relu model OnnxGraphBuilder writes, and runs on the CPU', async () => {
    const g = new OnnxGraphBuilder();
    g.input('x', OnnxType.FLOAT, [1, 4]);
    g.node('Relu', ['x'], {}, 'y');
    g.output('y', OnnxType.FLOAT, [1, 4]);
    expect(Buffer.from(g.encode('provider_probe')).toString('base64')).toBe(PROBE_MODEL_BASE64);
    await expect(probeProvider('cpu')).resolves.toMatchObject({ provider: 'cpu', ok: true });
  });
});
