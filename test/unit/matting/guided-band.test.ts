import { describe, expect, it } from 'vitest';
import type { RgbImage, Trimap } from '../../../src/engine/imaging/raster';
import { guidedCoefficients, upsampleWithGuide } from '../../../src/engine/matting';
import { guidedCoefficientsForBand, guidedCoefficientsInTiles, upsampleTiles } from '../../../src/engine/matting/filters/guided-band';
import { downscaleRgb, downscaleTrimap, rgbPlanes } from '../../../src/engine/matting/resample';
import { makeComposite } from './composites';

interface Case {
  image: RgbImage;
  trimap: Trimap;
  lowWidth: number;
  lowHeight: number;
}

/** A composite at full size and its working-resolution guide, with p the downscaled trimap (a rough alpha). */
function scene(width: number, height: number, lowWidth: number, lowHeight: number, edit?: (trimap: Trimap) => void): Case & { guide: ReturnType<typeof rgbPlanes>; p: Float32Array } {
  const { image, trimap } = makeComposite(width, height, 4);
  edit?.(trimap);
  const low = downscaleRgb(image, lowWidth, lowHeight);
  const p = Float32Array.from(downscaleTrimap(trimap, width, height, lowWidth, lowHeight), (t) => t / 255);
  return { image, trimap, lowWidth, lowHeight, guide: rgbPlanes(low), p };
}

/** The band reaches the left and bottom edges of the frame: their windows are clipped by the image. */
function bandOnFrameEdge(width: number, height: number) {
  return (trimap: Trimap): void => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) if (x < 3 || y >= height - 2) trimap[y * width + x] = 128;
    }
  };
}

const radii = [1, 3];

describe('guided coefficients restricted to the unknown band', () => {
  const cases = [
    { name: 'band inside the frame', ...scene(160, 120, 97, 73) },
    { name: 'band touching the frame edge', ...scene(160, 120, 97, 73, bandOnFrameEdge(160, 120)) },
    { name: 'at scale 1', ...scene(90, 70, 90, 70) },
  ];

  for (const c of cases) {
    for (const radius of radii) {
      for (const tile of [5, 8, 32]) {
        it(`${c.name}, radius ${radius}, tiles of ${tile}: equal to the whole image's in the needed tiles and after upsampling`, () => {
          const whole = guidedCoefficients(c.guide, c.p, c.lowWidth, c.lowHeight, radius, 1e-5);
          const needed = upsampleTiles(c.trimap, c.image.width, c.image.height, c.lowWidth, c.lowHeight, tile);
          const band = guidedCoefficientsInTiles(c.guide, c.p, c.lowWidth, c.lowHeight, radius, 1e-5, needed, tile);
          const tilesX = Math.ceil(c.lowWidth / tile);
          let compared = 0;
          let worst = 0;
          for (let y = 0; y < c.lowHeight; y++) {
            for (let x = 0; x < c.lowWidth; x++) {
              if (!needed[Math.floor(y / tile) * tilesX + Math.floor(x / tile)]) continue;
              const i = y * c.lowWidth + x;
              for (const k of ['ar', 'ag', 'ab', 'b'] as const) worst = Math.max(worst, Math.abs(band[k][i] - whole[k][i]));
              compared++;
            }
          }
          expect(compared).toBeGreaterThan(0);
          expect(worst).toBeLessThanOrEqual(1e-6);
          const expected = upsampleWithGuide(whole, c.image, c.trimap);
          const got = upsampleWithGuide(band, c.image, c.trimap);
          for (let i = 0; i < got.length; i++) {
            const t = c.trimap[i];
            if (t === 0 || t === 255) expect(got[i]).toBe(t / 255);
            else if (Math.abs(got[i] - expected[i]) > 1e-6) expect.fail(`pixel ${i}: ${got[i]} vs ${expected[i]}`);
          }
        });
      }
    }
  }

  it('the tiles hold every bilinear tap of every unknown pixel and leave the far known area out', () => {
    const c = cases[0];
    const tile = 8;
    const needed = upsampleTiles(c.trimap, c.image.width, c.image.height, c.lowWidth, c.lowHeight, tile);
    expect(needed.filter((v) => v === 0).length).toBeGreaterThan(needed.length / 4);
    const tilesX = Math.ceil(c.lowWidth / tile);
    const coefficients = guidedCoefficientsForBand(c.guide, c.p, c.lowWidth, c.lowHeight, 1, 1e-5, c.image, c.trimap);
    // Outside the needed tiles nothing is computed (0), inside the band is what the upsampling reads.
    let zeros = 0;
    for (let y = 0; y < c.lowHeight; y++) {
      for (let x = 0; x < c.lowWidth; x++) {
        if (!needed[Math.floor(y / tile) * tilesX + Math.floor(x / tile)] && coefficients.b[y * c.lowWidth + x] === 0) zeros++;
      }
    }
    expect(zeros).toBeGreaterThan(0);
  });

  it('an empty band needs no tile and upsamples to the trimap itself', () => {
    const { image, trimap } = makeComposite(80, 60, 3);
    for (let i = 0; i < trimap.length; i++) if (trimap[i] !== 0 && trimap[i] !== 255) trimap[i] = 255;
    const low = downscaleRgb(image, 50, 37);
    const p = Float32Array.from(downscaleTrimap(trimap, 80, 60, 50, 37), (t) => t / 255);
    expect(upsampleTiles(trimap, 80, 60, 50, 37).every((v) => v === 0)).toBe(true);
    const band = guidedCoefficientsForBand(rgbPlanes(low), p, 50, 37, 1, 1e-5, image, trimap);
    expect(band.b.every((v) => v === 0)).toBe(true);
    const alpha = upsampleWithGuide(band, image, trimap);
    expect(Array.from(alpha)).toEqual(Array.from(trimap, (t) => t / 255));
  });
});
