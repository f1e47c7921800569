/**
 * Temporal smoothing of a per-frame foreground probability, against flicker: an exponential
 * moving average whose weight grows with the change at each pixel. Small frame-to-frame jitter
 * (sensor noise, model wobble) is averaged away; a real movement passes through within a frame or
 * two, so edges do not trail behind a moving person.
 */
export interface SmoothingOptions {
  /** Weight of the new frame where nothing changed (0..1); lower is steadier. */
  minWeight: number;
  /** A change of this size (probability units) or more takes the new value outright. */
  fullChange: number;
}

export const smoothingDefaults: SmoothingOptions = { minWeight: 0.3, fullChange: 0.35 };

export class TemporalSmoother {
  private previous: Float32Array | null = null;
  private readonly options: SmoothingOptions;

  constructor(options: Partial<SmoothingOptions> = {}) {
    this.options = { ...smoothingDefaults, ...options };
    if (!(this.options.minWeight > 0 && this.options.minWeight <= 1)) throw new RangeError('minWeight must be in (0, 1]');
    if (!(this.options.fullChange > 0)) throw new RangeError('fullChange must be > 0');
  }

  /** Smooths `current` in place against the previous result and remembers it; a size change restarts. */
  apply(current: Float32Array): Float32Array {
    const prev = this.previous;
    if (prev && prev.length === current.length) {
      const { minWeight, fullChange } = this.options;
      const slope = (1 - minWeight) / fullChange;
      for (let i = 0; i < current.length; i++) {
        const d = current[i] - prev[i];
        const w = Math.min(1, minWeight + slope * (d < 0 ? -d : d));
        const v = prev[i] + w * d;
        current[i] = v;
        prev[i] = v;
      }
    } else {
      this.previous = Float32Array.from(current);
    }
    return current;
  }

  reset(): void {
    this.previous = null;
  }
}
