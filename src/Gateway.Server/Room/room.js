// Meeting-room page (docs/rooms.md §8): speak into a room (microphone -> /v1/stream?room&speaker) and/or follow
// its merged, speaker-labelled captions (/v1/rooms/{room}/captions). Speaks through the caption page's microphone
// session (/caption/microphone.js: worklet, resuming socket, graceful close).
import { formatTime } from '/caption/subtitles.js';
import { streamMicrophone } from '/caption/microphone.js';

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'), form: $('controls'), room: $('room'), name: $('name'), language: $('language'),
  join: $('join'), leave: $('leave'), follow: $('follow'), unfollow: $('unfollow'),
  level: $('level').firstElementChild, speaking: $('speaking'),
  participant: $('participant'), myPartial: $('my-partial'), mine: $('mine'),
  viewer: $('viewer'), live: $('live'), captions: $('captions'), people: $('people'), srt: $('download-srt'), vtt: $('download-vtt'),
};

const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
let speaker = null; // { microphone, ready, stopping, ended } while speaking
let follower = null; // { socket } while following
const partials = new Map(); // speaker -> <p>
const seen = new Set(); // segment ids already shown (history and live never repeat, but a page may reconnect)

const params = new URLSearchParams(location.search);
const credential = params.get('token');
ui.room.value = params.get('room') ?? '';
ui.name.value = params.get('name') ?? '';
ui.join.disabled = false;
ui.follow.disabled = false;

function setStatus(text, kind = 'idle') {
  ui.status.textContent = text;
  ui.status.className = `status ${kind}`;
}

/** A stable colour per speaker name. */
function colour(name) {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  return `hsl(${hash % 360} 65% 45%)`;
}

function roomName() {
  const room = ui.room.value.trim();
  if (!ui.room.checkValidity() || !room) {
    setStatus('Enter a room name: letters, digits, . _ -', 'bad');
    return null;
  }
  return room;
}

/**
 * With auth on, open the page as /room/?room=R&token=CREDENTIAL (docs/security.md, "Room grants"). A grant
 * (g1.…, e.g. minted by your app server with {"room":R,"role":"speak"|"view"}) is used as it is; a key buys a
 * room grant for the role at hand (POST /v1/auth/grant), so the key itself never goes on a socket or a link.
 * The speaker's grant travels in the start message, the viewer's in ?token= (WebSocket and transcript links).
 */
async function roomGrant(room, role) {
  if (!credential) return null;
  if (credential.startsWith('g1.')) return credential;
  const response = await fetch('/v1/auth/grant', {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ room, role, ttl_seconds: role === 'view' ? 600 : 60 }),
  });
  if (!response.ok) throw new Error(`grant refused: ${response.headers.get('dg-error') ?? response.status}`);
  return (await response.json()).access_token;
}

// ---- participant -------------------------------------------------------------------------------------------

/**
 * The speaker's /v1/stream URL: the first connection carries its grant in the start message; a reconnect (a resume,
 * which has no start message) carries a fresh speak grant on ?token=.
 */
function streamUrl(room, grant) {
  let first = true;
  return async () => {
    if (first || !grant) {
      first = false;
      return `${wsBase}/v1/stream`;
    }
    return `${wsBase}/v1/stream?token=${encodeURIComponent(await roomGrant(room, 'speak'))}`;
  };
}

async function join(event) {
  event?.preventDefault();
  if (speaker) return;
  const room = roomName();
  const name = ui.name.value.trim();
  if (!room) return;
  if (!name) {
    setStatus('Enter your name to speak (or just follow the captions)', 'bad');
    return;
  }
  ui.join.disabled = true;
  let grant;
  try {
    grant = await roomGrant(room, 'speak');
  } catch (error) {
    setStatus(error.message, 'bad');
    ui.join.disabled = false;
    return;
  }
  setStatus('Opening the microphone…');
  const start = { type: 'start', encoding: 'pcm_s16le', sample_rate: 16000, channels: 1, interim_results: true, room, speaker: name };
  if (grant) start.token = grant;
  const language = ui.language.value.trim();
  if (language) start.language = language;
  const current = { microphone: null, ready: false, stopping: false, ended: null };
  speaker = current;
  try {
    current.microphone = await streamMicrophone(streamUrl(room, grant), start, {
      connecting: () => { ui.participant.hidden = false; },
      level: (percent) => { ui.level.style.width = `${percent}%`; },
      message: (m) => onOwn(current, m),
      reconnecting: (text) => setStatus(text, 'warn'),
      resumed: () => setStatus(`Speaking in ${room} as ${name} (reconnected)`, 'ok'),
      closed: (close) => leaveDone(current, close),
    });
  } catch (error) {
    speaker = null;
    setStatus(error.stage === 'microphone'
      ? `Microphone unavailable: ${error.message}${window.isSecureContext ? '' : ' (the page needs https:// or localhost)'}`
      : `Cannot connect: ${error.message}`, 'bad');
    ui.join.disabled = false;
  }
}

function onOwn(current, m) {
  switch (m.type) {
    case 'ready':
      current.ready = true;
      ui.leave.disabled = false;
      setStatus(`Speaking in ${m.room} as ${m.speaker}`, 'ok');
      break;
    case 'wait':
      current.ended = { text: `Server full — estimated wait ${Math.ceil(m.estimated_wait_seconds)} s`, kind: 'warn' };
      break;
    case 'error':
      if (m.fatal) current.ended = { text: `Error: ${m.code} — ${m.message}`, kind: 'bad' };
      break;
    case 'disconnect':
      current.ended = { text: `Disconnected: ${m.reason} — ${m.message}`, kind: 'warn' };
      break;
    case 'speech_started':
      ui.speaking.hidden = false;
      break;
    case 'speech_ended':
      ui.speaking.hidden = true;
      break;
    case 'partial':
      ui.myPartial.textContent = m.text;
      break;
    case 'final':
      ui.myPartial.textContent = '';
      if (m.text) {
        const item = document.createElement('li');
        item.className = 'final';
        const time = document.createElement('time');
        time.textContent = formatTime(m.start_ms, '.');
        const span = document.createElement('span');
        span.textContent = m.text;
        item.append(time, span);
        ui.mine.append(item);
      }
      break;
    default:
      break;
  }
}

async function leave() {
  const current = speaker;
  if (!current?.microphone || current.stopping) return;
  current.stopping = true;
  ui.leave.disabled = true;
  setStatus('Leaving — waiting for your last words…');
  await current.microphone.stop();
}

function leaveDone(current, close) {
  if (speaker === current) speaker = null;
  ui.leave.disabled = true;
  ui.join.disabled = false;
  ui.speaking.hidden = true;
  ui.level.style.width = '0';
  if (close.gaveUp) setStatus(close.gaveUp, 'bad');
  else if (current.ended) setStatus(current.ended.text, current.ended.kind);
  else if (close.code === 1000 && current.stopping) setStatus('Left the room', 'idle');
  else setStatus(`Disconnected (${close.code}${close.reason ? ` ${close.reason}` : ''})`, 'bad');
}

// ---- viewer ------------------------------------------------------------------------------------------------

async function follow() {
  if (follower) return;
  const room = roomName();
  if (!room) return;
  ui.follow.disabled = true;
  let grant;
  try {
    grant = await roomGrant(room, 'view');
  } catch (error) {
    setStatus(error.message, 'bad');
    ui.follow.disabled = false;
    return;
  }
  const auth = grant ? `token=${encodeURIComponent(grant)}` : '';
  ui.viewer.hidden = false;
  ui.captions.replaceChildren();
  ui.live.replaceChildren();
  partials.clear();
  seen.clear();
  const base = `/v1/rooms/${encodeURIComponent(room)}/transcript`;
  ui.srt.href = `${base}?format=srt${auth ? `&${auth}` : ''}`;
  ui.vtt.href = `${base}?format=vtt${auth ? `&${auth}` : ''}`;
  ui.srt.download = `${room}.srt`;
  ui.vtt.download = `${room}.vtt`;
  const socket = new WebSocket(`${wsBase}/v1/rooms/${encodeURIComponent(room)}/captions${auth ? `?${auth}` : ''}`);
  const current = { socket, room, people: new Set(), ended: null };
  follower = current;
  socket.onopen = () => { ui.unfollow.disabled = false; };
  socket.onmessage = (message) => onRoom(current, JSON.parse(message.data));
  socket.onclose = (close) => {
    if (follower === current) follower = null;
    ui.follow.disabled = false;
    ui.unfollow.disabled = true;
    if (current.ended) setStatus(current.ended.text, current.ended.kind);
    else if (!speaker) setStatus(`Stopped following (${close.code})`, close.code === 1000 ? 'idle' : 'warn');
  };
}

function showPeople(current) {
  ui.people.textContent = current.people.size ? `— ${[...current.people].join(', ')}` : '';
}

function onRoom(current, m) {
  switch (m.type) {
    case 'room':
      m.participants.forEach((p) => current.people.add(p));
      showPeople(current);
      if (!speaker) setStatus(`Following ${m.room}`, 'ok');
      break;
    case 'history_end':
      break;
    case 'participant_joined':
      current.people.add(m.speaker);
      showPeople(current);
      break;
    case 'participant_left':
      current.people.delete(m.speaker);
      showPeople(current);
      partials.get(m.speaker)?.remove();
      partials.delete(m.speaker);
      break;
    case 'partial': {
      let line = partials.get(m.speaker);
      if (!line) {
        line = document.createElement('p');
        line.dataset.speaker = m.speaker;
        line.style.setProperty('--speaker', colour(m.speaker));
        const who = document.createElement('span');
        who.className = 'speaker';
        who.textContent = `${m.speaker}: `;
        line.append(who, document.createElement('span'));
        partials.set(m.speaker, line);
        ui.live.append(line);
      }
      line.lastElementChild.textContent = m.text;
      break;
    }
    case 'final':
      partials.get(m.speaker)?.remove();
      partials.delete(m.speaker);
      if (m.text && !seen.has(m.segment_id)) {
        seen.add(m.segment_id);
        addCaption(m);
      }
      break;
    case 'source_restored':
      // An ingest's source was away (docs/ingest.md §4): the gap is marked where it was, not hidden.
      addCaption({ ...m, text: `— source lost for ${((m.end_ms - m.start_ms) / 1000).toFixed(1)} s, reconnected —` }).className = 'gap';
      break;
    case 'error':
      current.ended = { text: `Room: ${m.code} — ${m.message}`, kind: 'bad' };
      break;
    default:
      break; // speech_started/ended, segment_failed, source_lost and types added later
  }
}

/** Inserted in order of speech start: a long sentence that finished late still lands where it was said. */
function addCaption(m) {
  const item = document.createElement('li');
  item.className = 'final';
  item.dataset.speaker = m.speaker;
  item.dataset.start = String(m.start_ms);
  item.style.setProperty('--speaker', colour(m.speaker));
  const time = document.createElement('time');
  time.textContent = formatTime(m.start_ms, '.');
  const who = document.createElement('span');
  who.className = 'speaker';
  who.textContent = m.speaker;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = m.text;
  item.append(time, who, text);
  const atBottom = ui.captions.scrollTop + ui.captions.clientHeight >= ui.captions.scrollHeight - 8;
  let before = null;
  for (let node = ui.captions.lastElementChild; node && Number(node.dataset.start) > m.start_ms; node = node.previousElementSibling) before = node;
  ui.captions.insertBefore(item, before);
  if (atBottom) ui.captions.scrollTop = ui.captions.scrollHeight;
  return item;
}

ui.form.addEventListener('submit', join);
ui.leave.addEventListener('click', leave);
ui.follow.addEventListener('click', follow);
ui.unfollow.addEventListener('click', () => follower?.socket.close(1000));
if (params.get('view') === 'viewer' && ui.room.value) follow();
