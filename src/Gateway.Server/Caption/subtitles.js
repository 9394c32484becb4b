// SRT and WebVTT from finals ({ text, start_ms, end_ms }): one cue per final with text, numbered from 1.

/** `HH:MM:SS<sep>mmm`, hours growing past two digits when needed. */
export function formatTime(ms, separator) {
  const total = Math.round(Math.max(0, ms));
  const pad = (n, w) => String(n).padStart(w, '0');
  const hours = Math.floor(total / 3600000);
  const minutes = Math.floor(total / 60000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${separator}${pad(total % 1000, 3)}`;
}

function cues(finals) {
  // A blank line ends a cue in both formats, so a cue's text stays on one line.
  return finals
    .map((f) => ({ ...f, text: (f.text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(' ') }))
    .filter((f) => f.text.length > 0);
}

export function toSrt(finals) {
  return cues(finals)
    .map((c, i) => `${i + 1}\n${formatTime(c.start_ms, ',')} --> ${formatTime(c.end_ms, ',')}\n${c.text}\n\n`)
    .join('');
}

export function toVtt(finals) {
  const body = cues(finals)
    .map((c, i) => `${i + 1}\n${formatTime(c.start_ms, '.')} --> ${formatTime(c.end_ms, '.')}\n${c.text.replaceAll('-->', '->')}\n\n`)
    .join('');
  return `WEBVTT\n\n${body}`;
}
