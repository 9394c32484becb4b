// AudioWorklet processor: microphone blocks (128 frames at the context's rate) -> mono -> 16 kHz PCM16 frames.
import { Resampler, toPcm16, TARGET_RATE } from './resampler.js';

class Pcm16CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const frameMs = options?.processorOptions?.frameMs ?? 40;
    // `sampleRate` is the AudioWorkletGlobalScope's: the AudioContext's rate (usually 44.1 or 48 kHz).
    this.resampler = new Resampler(sampleRate);
    this.frame = new Int16Array(Math.round((TARGET_RATE * frameMs) / 1000));
    this.fill = 0;
    this.peak = 0;
    this.port.onmessage = (event) => {
      if (event.data === 'flush') this.post();
    };
  }

  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const length = channels[0].length;
      let mono = channels[0];
      if (channels.length > 1) {
        mono = new Float32Array(length);
        for (const channel of channels) for (let i = 0; i < length; i++) mono[i] += channel[i] / channels.length;
      }
      const out = this.resampler.process(mono);
      for (let i = 0; i < out.length; i++) {
        const s = toPcm16(out[i]);
        const magnitude = s < 0 ? -s : s;
        if (magnitude > this.peak) this.peak = magnitude;
        this.frame[this.fill++] = s;
        if (this.fill === this.frame.length) this.post();
      }
    }
    return true; // keep running while the source is connected
  }

  post() {
    if (this.fill === 0) return;
    const pcm = this.frame.slice(0, this.fill);
    this.port.postMessage({ pcm: pcm.buffer, peak: this.peak / 32768 }, [pcm.buffer]);
    this.fill = 0;
    this.peak = 0;
  }
}

registerProcessor('pcm16-capture', Pcm16CaptureProcessor);
