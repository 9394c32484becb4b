// Live-caption page: microphone -> AudioWorklet (16 kHz PCM16) -> gateway native protocol (docs/protocol.md).
import { formatTime, toSrt, toVtt } from './subtitles.js';
import { FRAME_MS, streamMicrophone } from './microphone.js';

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'), form: $('controls'), language: $('language'), hotwords: $('hotwords'), server: $('server'),
  start: $('start'), stop: $('stop'), level: $('level').firstElementChild, speaking: $('speaking'),
  partial: $('partial'), history: $('history'), srt: $('download-srt'), vtt: $('download-vtt'), clear: $('clear'),
};

let session = null; // { microphone, ready, ended, stopping } while running
let finals = [];
const downloads = { srt: null, vtt: null };

ui.server.value = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/stream`;
ui.start.disabled = false;

function setStatus(text, kind = 'idle') {
  ui.status.textContent = text;
  ui.status.className = `status ${kind}`;
}

function startMessage() {
  const message = { type: 'start', encoding: 'pcm_s16le', sample_rate: 16000, channels: 1, interim_results: true };
  const language = ui.language.value.trim();
  if (language) message.language = language;
  // Sent as typed: the server reads hotword text with the one grammar every protocol shares.
  const hotwords = ui.hotwords.value.trim();
  if (hotwords) message.hotwords = hotwords;
  return message;
}

/**
 * With auth on, open the page as /caption/?token=KEY: the key never reaches the WebSocket URL; it buys a
 * short-lived stream grant (POST /v1/auth/grant), and the grant goes in ?token=. docs/security.md.
 */
async function withGrant(url) {
  const key = new URLSearchParams(location.search).get('token');
  if (!key) return url;
  const response = await fetch('/v1/auth/grant', {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ scopes: ['stream'], ttl_seconds: 60 }),
  });
  if (!response.ok) throw new Error(`grant refused: ${response.headers.get('dg-error') ?? response.status}`);
  const { access_token: grant } = await response.json();
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(grant)}`;
}

async function start(event) {
  event?.preventDefault();
  if (session) return;
  ui.start.disabled = true;
  setStatus('Opening the microphone…');
  const current = { microphone: null, ready: false, ended: null, stopping: false };
  session = current;
  try {
    current.microphone = await streamMicrophone(() => withGrant(ui.server.value.trim()), startMessage(), {
      connecting: () => setStatus('Connecting…'),
      level: (percent) => { ui.level.style.width = `${percent}%`; },
      message: (m) => handle(current, m),
      reconnecting: (text) => setStatus(text, 'warn'),
      resumed: (m) => setStatus(m.finals_lost
        ? `Reconnected — session ${m.session_id} resumed; ${m.finals_lost} caption(s) from the gap are missing`
        : `Reconnected — session ${m.session_id} resumed`, m.finals_lost ? 'warn' : 'ok'),
      closed: (close) => finish(current, close),
    });
  } catch (error) {
    session = null;
    setStatus(error.stage === 'microphone'
      ? `Microphone unavailable: ${error.message}${window.isSecureContext ? '' : ' (the page needs https:// or localhost)'}`
      : `Bad server address: ${error.message}`, 'bad');
    ui.start.disabled = false;
  }
}

function handle(current, m) {
  switch (m.type) {
    case 'ready':
      current.ready = true;
      ui.stop.disabled = false;
      ui.status.dataset.session = m.session_id;
      setStatus(`Connected — session ${m.session_id}`, 'ok');
      break;
    case 'wait':
      current.ended = { text: `Server full (${m.max_clients} sessions) — estimated wait ${Math.ceil(m.estimated_wait_seconds)} s. Try again later.`, kind: 'warn' };
      setStatus(current.ended.text, 'warn');
      break;
    case 'error':
      if (m.fatal) {
        current.ended = { text: `Error: ${m.code} — ${m.message}`, kind: 'bad' };
        setStatus(current.ended.text, 'bad');
      } else {
        setStatus(`Upstream trouble: ${m.message}`, 'warn');
        if (m.segment_id != null) addHistory(m.start_ms, m.end_ms, `(segment ${m.segment_id} could not be transcribed: ${m.code})`, true);
      }
      break;
    case 'disconnect':
      current.ended = { text: `Disconnected: ${m.reason} — ${m.message}`, kind: 'warn' };
      setStatus(current.ended.text, 'warn');
      break;
    case 'overflow':
      setStatus(`Audio dropped: ${Math.round(m.dropped_ms)} ms (${Math.round(m.total_dropped_ms)} ms in all) — the server is behind`, 'warn');
      break;
    case 'speech_started':
      ui.speaking.hidden = false;
      break;
    case 'speech_ended':
      ui.speaking.hidden = true;
      break;
    case 'partial':
      ui.partial.textContent = m.text;
      break;
    case 'final':
      ui.partial.textContent = '';
      if (m.text) {
        finals.push({ text: m.text, start_ms: m.start_ms, end_ms: m.end_ms });
        addHistory(m.start_ms, m.end_ms, m.text, false, m.segment_id);
        refreshDownloads();
      }
      break;
    default:
      break; // flushed, and types added later
  }
}

function addHistory(startMs, endMs, text, problem, segmentId) {
  const item = document.createElement('li');
  if (segmentId != null) item.dataset.segment = segmentId;
  item.className = problem ? 'problem' : 'final';
  const time = document.createElement('time');
  time.textContent = `${formatTime(startMs, '.')} – ${formatTime(endMs, '.')}`;
  const span = document.createElement('span');
  span.textContent = text;
  item.append(time, span);
  const atBottom = ui.history.scrollTop + ui.history.clientHeight >= ui.history.scrollHeight - 8;
  ui.history.append(item);
  if (atBottom) ui.history.scrollTop = ui.history.scrollHeight;
}

function refreshDownloads() {
  for (const [key, anchor, build, type] of [['srt', ui.srt, toSrt, 'application/x-subrip'], ['vtt', ui.vtt, toVtt, 'text/vtt']]) {
    if (downloads[key]) URL.revokeObjectURL(downloads[key]);
    downloads[key] = finals.length > 0 ? URL.createObjectURL(new Blob([build(finals)], { type: `${type};charset=utf-8` })) : null;
    if (downloads[key]) anchor.href = downloads[key];
    else anchor.removeAttribute('href');
    anchor.classList.toggle('disabled', !downloads[key]);
    anchor.setAttribute('aria-disabled', String(!downloads[key]));
  }
}

async function stop() {
  const current = session;
  if (!current?.microphone || current.stopping) return;
  current.stopping = true;
  ui.stop.disabled = true;
  setStatus('Stopping — waiting for the last results…');
  await current.microphone.stop();
}

function finish(current, close) {
  if (session === current) session = null;
  ui.stop.disabled = true;
  ui.start.disabled = false;
  ui.speaking.hidden = true;
  ui.level.style.width = '0';
  if (close.gaveUp) setStatus(close.gaveUp, 'bad');
  else if (current.ended) setStatus(current.ended.text, current.ended.kind);
  else if (close.code === 1006 && !current.ready) setStatus(`Cannot reach ${ui.server.value}`, 'bad');
  else if (close.code === 1000 && current.stopping) setStatus('Stopped', 'idle');
  else setStatus(`Disconnected (${close.code}${close.reason ? ` ${close.reason}` : ''})`, close.code === 1000 ? 'idle' : 'bad');
}

ui.form.addEventListener('submit', start);
ui.stop.addEventListener('click', stop);
ui.clear.addEventListener('click', () => {
  finals = [];
  ui.history.replaceChildren();
  refreshDownloads();
});
