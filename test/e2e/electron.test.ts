/**
 * Electron smoke test: launches the built app with Playwright's Electron driver and checks the
 * window's security settings and one API call through the preload. Skips, saying why, where the
 * Electron binary is absent (it cannot be downloaded on machines without access to its release
 * server); the same renderer and engine are covered in browser mode by shell.test.ts.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';

function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) console.warn('[electron e2e] skipped: the Electron binary is not installed (run `npm start` once where it can be downloaded).');

describe.skipIf(!binary)('Electron app', () => {
  it('opens a sandboxed, context-isolated window whose page reaches the engine only through the preload', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [path.resolve('out/main/index.js'), '--no-sandbox'] });
    try {
      const window = await app.firstWindow();
      await window.getByRole('button', { name: 'Settings…' }).click({ timeout: 30_000 });
      await expect.poll(() => window.getByTestId('engine-info').textContent(), { timeout: 30_000 }).toContain('electron');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { shm?: { call?: unknown } }).shm?.call)).toBe('function');
    } finally {
      await app.close();
    }
  });
});
