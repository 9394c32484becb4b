// A live connection the gateway refuses at the handshake (server full): the SDK reports the HTTP status.
// Prints every error and the close as JSON lines for DeepgramAdmissionTests.
//   node refused.mjs <ws base url> [key]
import { DeepgramClient } from "@deepgram/sdk";

const [baseUrl, key] = process.argv.slice(2);
const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const client = new DeepgramClient({ apiKey: key ?? "no-key", baseUrl });
const connection = await client.listen.v1.connect({ model: "nova-3", encoding: "linear16", sample_rate: 16000, reconnectAttempts: 0 });

const ended = new Promise((resolve) => {
  connection.on("open", () => print({ type: "open" }));
  connection.on("error", (e) => print({ type: "error", message: String(e?.message ?? e), status: e?.statusCode ?? e?.status ?? null }));
  connection.on("close", (e) => {
    print({ type: "close", code: e?.code ?? null, reason: e?.reason ?? "" });
    resolve();
  });
});

connection.connect();
await Promise.race([ended, new Promise((r) => setTimeout(r, 10_000))]);
process.exit(0);
