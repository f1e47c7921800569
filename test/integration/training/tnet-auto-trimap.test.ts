/**
 * A T-Net as the semantic model: the project's automatic trimap (the editor's ensureAuto path) is
 * the network's own three-class argmax, as in `matteImage`, not a band drawn around its mask.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRgb } from '../../../src/engine/imaging/decode';
import { ensureAutoTrimap } from '../../../src/engine/pipeline/project-matte';
import { openProject, type Project } from '../../../src/engine/project';
import type { TrimapProbabilities } from '../../../src/engine/inference/preprocess';
import { makeComposite, rawRgb, tempDir } from '../../fixtures/make-fixtures';
import { cornerDistanceEngine } from '../../fixtures/test-engine';

const open: Project[] = [];
afterEach(() => {
  while (open.length) open.pop()?.close();
});

describe('automatic trimap from a T-Net', () => {
  it('is the three-class argmax of its probabilities', async () => {
    const composite = makeComposite(64, 48, 2);
    const src = tempDir('shm-tnet-src-');
    await rawRgb(composite).png().toFile(path.join(src, 'person.png'));
    const project = openProject(path.join(tempDir(), 'proj'), { create: true });
    open.push(project);
    await project.importPaths([src]);
    const [record] = project.listImages();

    // A "T-Net" whose classes are the composite's exact trimap (one-hot); a segmenter's band would not reproduce it.
    const n = composite.width * composite.height;
    const classes: TrimapProbabilities = { background: new Float32Array(n), unknown: new Float32Array(n), foreground: new Float32Array(n) };
    for (let i = 0; i < n; i++) (composite.trimap[i] === 255 ? classes.foreground : composite.trimap[i] === 0 ? classes.background : classes.unknown)[i] = 1;
    const base = cornerDistanceEngine();
    const engine = { ...base, segment: async () => ({ prob: classes.foreground, provider: 'test', trimap: classes }) };

    const image = await decodeRgb(record.sourcePath);
    const { auto } = await ensureAutoTrimap(project, record.id, image, 'test-tnet', engine);
    expect(Buffer.from(auto).equals(Buffer.from(composite.trimap))).toBe(true);
    // A segmenter with the same foreground goes through the band instead.
    const banded = await base.makeTrimap(classes.foreground, composite.width, composite.height);
    expect(Buffer.from(banded).equals(Buffer.from(composite.trimap))).toBe(false);
  });
});
