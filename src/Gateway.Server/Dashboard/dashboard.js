// The gateway dashboard: polls /api/v1/dashboard every second and draws the server's one-second ring as SVG
// sparklines (docs/jobs.md, Dashboard). No build step, no inline script (the page's CSP forbids it).

// With auth on, the data need an admin key (docs/security.md): open the page as /dashboard/#token=KEY (the fragment
// never leaves the browser) or ?token=KEY, or type the key into the form the page shows on 401/403. The key is
// taken out of the address bar, kept in this tab's sessionStorage and sent as "Authorization: Bearer KEY".
const SVG = "http://www.w3.org/2000/svg";
const KEY_STORAGE = "gateway.dashboard.key";
const MB = 1024 * 1024;

const charts = [
  { key: "cpu", label: "CPU %", value: s => s.cpu_percent, format: v => v.toFixed(1) },
  { key: "memory", label: "Memory (working set, MiB)", value: s => s.working_set_bytes / MB, format: v => v.toFixed(0) },
  { key: "sessions", label: "Live sessions", value: s => s.live_sessions, format: v => String(v) },
  { key: "rooms", label: "Rooms", value: s => s.rooms, format: v => String(v) },
  { key: "queued", label: "Jobs queued", value: s => s.jobs_queued, format: v => String(v) },
  { key: "processing", label: "Jobs processing", value: s => s.jobs_processing, format: v => String(v) },
  { key: "inuse", label: "Upstream in use", value: s => s.upstream.reduce((n, e) => n + e.in_use, 0), format: v => String(v) },
  { key: "idle", label: "Upstream idle", value: s => s.upstream.reduce((n, e) => n + e.idle, 0), format: v => String(v) },
  { key: "p50", label: "Final latency p50 (ms)", value: s => s.final_latency_p50_ms, format: v => v.toFixed(0) },
  { key: "p99", label: "Final latency p99 (ms)", value: s => s.final_latency_p99_ms, format: v => v.toFixed(0) },
  { key: "throughput", label: "Throughput (audio s/s)", value: s => s.audio_seconds_per_second, format: v => v.toFixed(2) },
];

function element(tag, attributes = {}, text) {
  const node = tag === "svg" || tag === "polyline" ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function buildCharts() {
  const host = document.getElementById("charts");
  for (const chart of charts) {
    const card = element("div", { class: "chart", "data-chart": chart.key });
    card.append(element("div", { class: "label" }, chart.label));
    chart.valueNode = element("div", { class: "value", "data-value": chart.key }, "–");
    const svg = element("svg", { viewBox: "0 0 100 40", preserveAspectRatio: "none" });
    chart.line = element("polyline", { points: "" });
    svg.append(chart.line);
    card.append(chart.valueNode, svg);
    host.append(card);
  }
}

function draw(chart, samples) {
  const values = samples.map(chart.value);
  const known = values.filter(v => v !== null && v !== undefined);
  const last = values.length ? values[values.length - 1] : null;
  chart.valueNode.textContent = last === null || last === undefined ? "–" : chart.format(last);
  if (!known.length) { chart.line.setAttribute("points", ""); return; }
  const max = Math.max(...known, 1e-9);
  const step = samples.length > 1 ? 100 / (samples.length - 1) : 0;
  const points = [];
  values.forEach((v, i) => { if (v !== null && v !== undefined) points.push(`${(i * step).toFixed(2)},${(40 - (v / max) * 38).toFixed(2)}`); });
  chart.line.setAttribute("points", points.join(" "));
}

function rows(tbody, items, cells) {
  tbody.replaceChildren(...items.map(item => {
    const tr = element("tr");
    for (const cell of cells(item)) {
      const td = element("td");
      td.append(cell instanceof Node ? cell : document.createTextNode(cell));
      tr.append(td);
    }
    return tr;
  }));
}

function render(data) {
  const samples = data.samples;
  for (const chart of charts) draw(chart, samples);
  const latest = samples[samples.length - 1];
  rows(document.querySelector("#upstream tbody"), latest ? latest.upstream : [], e => [e.name, e.healthy ? "yes" : "no", String(e.in_use), String(e.idle)]);
  rows(document.querySelector("#jobs tbody"), data.jobs, job => {
    const bar = element("progress", { max: "100", value: String(job.progress) });
    const progress = element("span");
    progress.append(bar, document.createTextNode(` ${job.progress.toFixed(1)} %`));
    return [job.task_id, job.filename, job.status, progress, job.duration === null ? "" : `${job.duration.toFixed(1)} s`];
  });
  document.querySelector("#jobs tbody").querySelectorAll("tr").forEach((tr, i) => tr.setAttribute("data-status", data.jobs[i].status));
  document.getElementById("jobs-total").textContent = `(${data.jobs_total})`;
  const errors = document.getElementById("errors");
  errors.replaceChildren(...(data.errors.length ? data.errors : [null]).map(e =>
    element("li", {}, e ? `${new Date(e.at).toLocaleTimeString()}  ${e.code}` : "none")));
  document.getElementById("status").textContent = `updated ${new Date().toLocaleTimeString()}, ${samples.length} s of history`;
  document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
}

function takeKeyFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const key = fragment.get("token") || query.get("token");
  if (!key) return;
  sessionStorage.setItem(KEY_STORAGE, key);
  document.getElementById("login").hidden = true;
  fragment.delete("token");
  query.delete("token");
  const search = query.toString(), hash = fragment.toString();
  history.replaceState(null, "", location.pathname + (search ? `?${search}` : "") + (hash ? `#${hash}` : ""));
}

function headers() {
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

function askForKey(status) {
  const form = document.getElementById("login");
  form.hidden = false;
  document.getElementById("status").textContent = status === 401
    ? "an admin key is needed (HTTP 401)" : "this key lacks the admin scope (HTTP 403)";
}

function watchLogin() {
  const form = document.getElementById("login");
  form.addEventListener("submit", event => {
    event.preventDefault();
    const key = document.getElementById("key").value.trim();
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    document.getElementById("key").value = "";
    form.hidden = true;
  });
}

async function poll() {
  try {
    const response = await fetch("/api/v1/dashboard", { cache: "no-store", headers: headers() });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(KEY_STORAGE); // a wrong key is not sent again
      askForKey(response.status);
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
  } catch (error) {
    document.getElementById("status").textContent = `cannot load data: ${error.message}`;
  } finally {
    setTimeout(poll, 1000);
  }
}

takeKeyFromAddress();
addEventListener("hashchange", takeKeyFromAddress);
watchLogin();
buildCharts();
poll();
