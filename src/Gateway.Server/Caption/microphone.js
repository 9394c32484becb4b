// Stream the microphone to /v1/stream and close gracefully: the one microphone session of the caption page and the
// room page. Microphone -> AudioWorklet (16 kHz PCM16, capture-worklet.js) -> a resuming native-protocol socket
// (resume.js: a dropped connection is resumed with the unacknowledged audio). Stopping flushes the worklet's last
// frame, then asks the server for a graceful close, so the last words still get their finals. No DOM here.
import { openResumingSocket } from '/caption/resume.js';

export const FRAME_MS = 40;

async function openMicrophone() {
  // Raw capture: speech recognisers are trained on unprocessed audio.
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  const context = new AudioContext({ latencyHint: 'interactive' });
  await context.audioWorklet.addModule('/caption/capture-worklet.js');
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'pcm16-capture', {
    numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { frameMs: FRAME_MS },
  });
  source.connect(node);
  // The processor writes no output: connecting it keeps the graph pulling it, and plays silence.
  node.connect(context.destination);
  if (context.state === 'suspended') await context.resume();
  return {
    node,
    async close() {
      stream.getTracks().forEach((t) => t.stop());
      source.disconnect();
      node.disconnect();
      await context.close();
    },
  };
}

/** Why a session could not start: `stage` is 'microphone' (no device or no permission) or 'socket' (a bad address). */
export class SessionStartError extends Error {
  constructor(stage, cause) {
    super(cause?.message ?? String(cause));
    this.stage = stage;
  }
}

/**
 * @param {() => Promise<string>} url the /v1/stream URL (asked again on each reconnect)
 * @param {object} start the start message
 * @param {object} on callbacks: connecting() once the microphone is open; level(percent) per frame; message(m) for
 *   every server message but ack; reconnecting(text); resumed(m); closed(close, stopping) once, at the end, after
 *   the microphone was released (close: { code, reason, gaveUp }; stopping: stop() was called)
 * @returns {{ stop(): Promise<void> }}; throws {@link SessionStartError}
 */
export async function streamMicrophone(url, start, on) {
  let audio;
  try {
    audio = await openMicrophone();
  } catch (error) {
    throw new SessionStartError('microphone', error);
  }
  on.connecting?.();
  let stopping = false;
  let stream;
  try {
    stream = await openResumingSocket(url, start, {
      message: on.message,
      reconnecting: (text) => on.reconnecting?.(text),
      resumed: (m) => on.resumed?.(m),
      closed: async (close) => {
        if (!stopping) await audio.close().catch(() => {});
        on.closed(close, stopping);
      },
    });
  } catch (error) {
    await audio.close();
    throw new SessionStartError('socket', error);
  }
  audio.node.port.onmessage = ({ data }) => {
    on.level?.(Math.min(100, Math.round(Math.sqrt(data.peak) * 100)));
    stream.sendAudio(data.pcm);
  };
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      audio.node.port.postMessage('flush');
      // Let the worklet's last frame arrive, then ask for a graceful close: pending results are still delivered.
      await new Promise((resolve) => setTimeout(resolve, FRAME_MS * 2));
      stream.close();
      await audio.close();
    },
  };
}
