// Band-limited resampling to 16 kHz for the capture worklet (no DOM; also importable by the page).
//
// A Kaiser-windowed sinc low-pass (passband to 7.2 kHz, stopband from 8 kHz, 70 dB) evaluated at fractional
// input positions from a polyphase table (linear interpolation between adjacent phases), so any input rate
// (44.1 kHz, 48 kHz, …) maps to 16 kHz without aliasing: plain decimation would fold 8-24 kHz into speech.

export const TARGET_RATE = 16000;

/** Filter specification; the window length follows from the transition band and the attenuation (Kaiser's formulas). */
export const FILTER = Object.freeze({ passbandHz: 7200, stopbandHz: 8000, attenuationDb: 70, phases: 256 });

/** Zeroth-order modified Bessel function of the first kind (power series; converges fast for the betas used here). */
function besselI0(x) {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 64; k++) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/**
 * Designs the polyphase table for one input rate: `phases + 1` rows of `taps` coefficients; row p holds the
 * filter sampled at offsets (k - p / phases), each row normalised to unit DC gain.
 */
export function designFilter(inputRate, spec = FILTER) {
  const { passbandHz, stopbandHz, attenuationDb, phases } = spec;
  const transition = (2 * Math.PI * (stopbandHz - passbandHz)) / inputRate;
  const length = Math.ceil((attenuationDb - 8) / (2.285 * transition)) + 1;
  const half = Math.ceil(length / 2);
  const taps = 2 * half;
  const beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7) : 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
  const cutoff = (passbandHz + stopbandHz) / 2 / inputRate; // cycles per input sample
  const i0Beta = besselI0(beta);
  const table = new Float32Array((phases + 1) * taps);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const t = j - (half - 1) - frac; // distance from the output instant, in input samples
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = t / half;
      const window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      const h = 2 * cutoff * sinc * window;
      table[p * taps + j] = h;
      sum += h;
    }
    for (let j = 0; j < taps; j++) table[p * taps + j] /= sum;
  }
  return { table, taps, half, phases };
}

/** Streaming resampler from `inputRate` to 16 kHz: feed Float32 blocks, get Float32 16 kHz blocks. */
export class Resampler {
  constructor(inputRate, spec = FILTER) {
    this.inputRate = inputRate;
    this.step = inputRate / TARGET_RATE; // input samples per output sample
    this.filter = designFilter(inputRate, spec);
    // Input history: `half` zeros before the first sample, so the first output is centred on input sample 0.
    this.buffer = new Float32Array(4096);
    this.length = this.filter.half;
    this.position = this.filter.half; // output instant, in buffer samples: input sample 0
  }

  /** Resamples one block (any length); returns the 16 kHz samples it completes. */
  process(input) {
    const { table, taps, half, phases } = this.filter;
    this.append(input);
    // Output n needs input up to floor(position_n) + half, which must already be in the buffer.
    const count = Math.max(0, Math.ceil((this.length - half - this.position) / this.step));
    const output = new Float32Array(count);
    const buffer = this.buffer;
    let position = this.position;
    for (let n = 0; n < count; n++) {
      const base = Math.floor(position);
      const phase = (position - base) * phases;
      const p = Math.floor(phase);
      const weight = phase - p;
      const rowA = p * taps;
      const rowB = rowA + taps;
      const start = base - (half - 1);
      let a = 0;
      if (weight === 0) {
        // PERF: integer ratios (48 kHz -> 16 kHz) always land on phase 0: one dot product instead of two.
        for (let j = 0; j < taps; j++) a += buffer[start + j] * table[rowA + j];
        output[n] = a;
      } else {
        let b = 0;
        for (let j = 0; j < taps; j++) {
          const x = buffer[start + j];
          a += x * table[rowA + j];
          b += x * table[rowB + j];
        }
        output[n] = a + (b - a) * weight;
      }
      position += this.step;
    }
    // Keep only the history the next outputs still need.
    const keepFrom = Math.max(0, Math.floor(position) - (half - 1));
    buffer.copyWithin(0, keepFrom, this.length);
    this.length -= keepFrom;
    this.position = position - keepFrom;
    return output;
  }

  append(input) {
    if (this.length + input.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(this.buffer.length * 2, this.length + input.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(input, this.length);
    this.length += input.length;
  }
}

/** Float [-1, 1] to PCM16 with rounding and clipping. */
export function toPcm16(sample) {
  const s = Math.max(-1, Math.min(1, sample));
  return Math.round(s < 0 ? s * 32768 : s * 32767);
}
