/**
 * A long refinement shows real progress in the editor: in Debian's Chromium over browser mode, a
 * closed-form refinement of a 4 MP photo fills a determinate bar with a percent that moves
 * between 0 and 100 before the result arrives.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openFirstPhotoInEditor, openStudioPage, type StudioPage } from '../helpers/browser';

let studio: StudioPage;
let page: Page;

beforeAll(async () => {
  studio = await openStudioPage('refine-progress', {
    prepare: async (dir) => {
      await fs.mkdir(path.join(dir, 'photos'), { recursive: true });
      await sharp('test/fixtures/astronaut-256.png').resize(2000, 2000).png().toFile(path.join(dir, 'photos', 'large.png'));
    },
  });
  page = studio.page;
});

afterAll(async () => {
  await studio?.close();
});

describe('refinement progress in the editor', () => {
  it('shows the percent of a long refinement moving, then the result', async () => {
    await openFirstPhotoInEditor(studio, { timeoutMs: 60_000 });

    await page.keyboard.press('r');
    const seen = new Set<number>();
    let shot = false;
    const started = Date.now();
    for (;;) {
      const state = await page.getByTestId('refine-state').getAttribute('data-state').catch(() => null);
      const text = await page.getByTestId('refine-percent').textContent({ timeout: 50 }).catch(() => null);
      const percent = text ? Number(/(\d+)\s*%/.exec(text)?.[1]) : NaN;
      if (Number.isFinite(percent)) {
        seen.add(percent);
        if (!shot && percent > 0 && percent < 100) {
          await studio.shot('01-refining-percent');
          shot = true;
        }
      }
      if (state === 'done' || state === 'failed') {
        expect(state).toBe('done');
        break;
      }
      expect(Date.now() - started).toBeLessThan(180_000);
      await page.waitForTimeout(20);
    }
    const between = [...seen].filter((p) => p > 0 && p < 100);
    expect(between.length, `percents seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('image-status').textContent()).toBe('refined');
    await studio.shot('02-refined');
  });

  it('shows no console warnings or errors', () => {
    expect(studio.consoleProblems).toEqual([]);
  });
});
