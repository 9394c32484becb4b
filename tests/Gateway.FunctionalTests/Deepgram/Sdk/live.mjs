// A live session through the official SDK, as an app would write it; every server message and the close are
// printed as one JSON line each for DeepgramSdkTests to check.
//   node live.mjs <ws base url> <pcm16 16 kHz mono file> <cut byte offset> <keepalive ms> <silence ms> [key]
import { readFileSync } from "node:fs";
import { DeepgramClient } from "@deepgram/sdk";

const [baseUrl, file, cutArg, keepAliveArg, silenceArg, key] = process.argv.slice(2);
const pcm = readFileSync(file);
const cut = Number(cutArg);
const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const client = new DeepgramClient({ apiKey: key ?? "no-key", baseUrl });
const connection = await client.listen.v1.connect({
  model: "nova-3",
  encoding: "linear16",
  sample_rate: 16000,
  interim_results: "true",
  endpointing: 300,
  vad_events: "true",
  punctuate: "true",
  reconnectAttempts: 0,
});

let finalized;
const fromFinalize = new Promise((r) => (finalized = r));
const closed = new Promise((resolve) => {
  connection.on("message", (m) => {
    print(m);
    if (m.type === "Results" && m.from_finalize) finalized();
  });
  connection.on("close", (e) => {
    print({ type: "close", code: e.code, reason: e.reason });
    resolve();
  });
  connection.on("error", (e) => print({ type: "error", message: String(e?.message ?? e) }));
});

connection.connect();
await connection.waitForOpen();

const send = async (bytes) => {
  for (let o = 0; o < bytes.length; o += 3200) {
    connection.sendMedia(bytes.subarray(o, Math.min(o + 3200, bytes.length)));
    await sleep(5);
  }
};

// Mid-speech Finalize, then the rest of the audio.
await send(pcm.subarray(0, cut));
connection.sendFinalize({ type: "Finalize" });
// No audio while the flushed final comes back: KeepAlive, as an app does in a pause (shorter than the test's idle timeout).
const waiting = setInterval(() => connection.sendKeepAlive({ type: "KeepAlive" }), Number(keepAliveArg));
await fromFinalize;
clearInterval(waiting);
await send(pcm.subarray(cut));

// Silence with KeepAlive only (longer than the gateway's idle timeout), then CloseStream.
const until = Date.now() + Number(silenceArg);
while (Date.now() < until) {
  connection.sendKeepAlive({ type: "KeepAlive" });
  await sleep(Number(keepAliveArg));
}

connection.sendCloseStream({ type: "CloseStream" });
await closed;
process.exit(0);
