import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vulkanLoaderMissing } from '../../../src/engine/inference/providers.js';

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
