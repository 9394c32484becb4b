// A native-protocol WebSocket that survives a dropped connection (docs/protocol.md §10, docs/caption-page.md):
// it keeps the audio the server has not acknowledged, and when the socket drops without a close it reconnects with
// the latest resume_token (backoff with jitter, within the server's resume window), resends from the last ack and
// reports how many finals it has, so the server replays exactly the ones it missed. Nothing here touches the DOM.

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;
const DEFAULT_WINDOW_MS = 30000;

/**
 * @param {() => Promise<string>} url the /v1/stream URL (asked again on each reconnect: a stream grant is short-lived)
 * @param {object} start the start message
 * @param {object} on callbacks: message(m) for every server message but ack; reconnecting(text); resumed(m);
 *   closed({ code, reason, gaveUp }) once, at the end (gaveUp: the text when the session could not be resumed)
 * @returns the stream: sendAudio(pcm), close(); throws when the first URL is not a valid WebSocket address
 */
export async function openResumingSocket(url, start, on, { backlogMs = DEFAULT_WINDOW_MS } = {}) {
  const state = {
    socket: null, token: null, windowMs: DEFAULT_WINDOW_MS, finals: 0, ready: false, closing: false, ended: false,
    backlog: [], backlogFrames: 0, written: 0, lostAt: 0, attempt: 0, timer: 0,
  };

  function connect(target, first) {
    const socket = new WebSocket(target);
    socket.binaryType = 'arraybuffer';
    state.socket = socket;
    state.ready = false;
    socket.onopen = () => {
      if (first) socket.send(JSON.stringify(start));
    };
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') receive(JSON.parse(message.data));
    };
    socket.onclose = (close) => dropped(socket, close);
  }

  function receive(m) {
    if (m.type === 'ack') {
      acknowledge(m.offset);
      return;
    }
    if (m.type === 'ready') {
      state.ready = true;
      state.token = m.resume_token ?? null;
      if (m.resume_window_ms) state.windowMs = m.resume_window_ms;
      if (!state.token) state.backlog = [];
      state.attempt = 0;
      if (m.resumed) {
        state.lostAt = 0;
        state.finals += m.finals_lost ?? 0; // older than the server's replay log: gone, and not to be asked for again
        resend();
        on.resumed(m);
        if (state.closing) state.socket.send(JSON.stringify({ type: 'close' }));
        return;
      }
    }
    if (m.type === 'final' || (m.type === 'error' && m.segment_id != null)) state.finals += 1;
    if (m.type === 'error' && m.fatal && String(m.code).startsWith('resume_')) {
      state.gaveUp = `The session could not be resumed (${m.code}): ${m.message}`;
    }
    on.message(m);
  }

  /** The server holds audio up to `offset` sample frames: chunks wholly before it are never resent. */
  function acknowledge(offset) {
    while (state.backlog.length > 0 && state.backlog[0].start + state.backlog[0].frames <= offset) {
      state.backlogFrames -= state.backlog.shift().frames;
    }
  }

  /** After a resumed ready: everything kept, from the offset the reconnect presented. */
  function resend() {
    for (const chunk of state.backlog) state.socket.send(chunk.pcm);
  }

  function dropped(socket, close) {
    if (socket !== state.socket || state.ended) return;
    // A close frame (any code) is the server's decision; 1006 is a connection that died without one.
    const resumable = close.code === 1006 && state.token && !state.gaveUp;
    if (!resumable) {
      end({ code: close.code, reason: close.reason, gaveUp: state.gaveUp ?? null });
      return;
    }
    if (state.lostAt === 0) {
      state.lostAt = performance.now();
      on.reconnecting('Connection lost — reconnecting…');
    }
    retry();
  }

  function retry() {
    const away = performance.now() - state.lostAt;
    if (away >= state.windowMs) {
      end({ code: 1006, reason: '', gaveUp: `Could not reconnect within the ${Math.round(state.windowMs / 1000)} s resume window` });
      return;
    }
    // Exponential backoff with full jitter: the clients of one network blip do not come back in step.
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** state.attempt);
    const delay = Math.min(ceiling * (0.5 + Math.random() / 2), state.windowMs - away);
    state.attempt += 1;
    on.reconnecting(`Connection lost — reconnecting… (attempt ${state.attempt}, ${Math.round(away / 1000)} s away)`);
    state.timer = setTimeout(async () => {
      state.timer = 0;
      try {
        const offset = state.backlog.length > 0 ? state.backlog[0].start : state.written;
        const base = await url();
        connect(`${base}${base.includes('?') ? '&' : '?'}resume=${encodeURIComponent(state.token)}&offset=${offset}&finals=${state.finals}`, false);
      } catch {
        retry(); // the grant could not be fetched either: the network is still down
      }
    }, delay);
  }

  function end(result) {
    if (state.ended) return;
    state.ended = true;
    if (state.timer) clearTimeout(state.timer);
    state.backlog = [];
    on.closed(result);
  }

  connect(await url(), true);
  return {
    get ready() { return state.ready; },
    get reconnecting() { return !state.ended && state.lostAt !== 0 && !state.ready; },

    /** One frame of 16 kHz mono PCM16: kept until acknowledged (within the bound), sent now when connected. */
    sendAudio(pcm) {
      if (state.ended || (!state.ready && state.lostAt === 0)) return; // nothing is sent before the first ready
      const frames = pcm.byteLength / 2;
      if (state.token) {
        state.backlog.push({ start: state.written, frames, pcm });
        state.backlogFrames += frames;
        while (state.backlogFrames > (backlogMs * 16)) state.backlogFrames -= state.backlog.shift().frames;
      }
      state.written += frames;
      if (state.ready && state.socket.readyState === WebSocket.OPEN) state.socket.send(pcm);
    },

    /** Graceful end: `close` now, or after the resume when the connection is down. */
    close() {
      state.closing = true;
      if (state.ready && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify({ type: 'close' }));
      else if (!state.token || state.ended) end({ code: 1000, reason: '', gaveUp: null });
    },
  };
}
