// A prerecorded request through the official SDK; prints the response as one JSON line.
//   node prerecorded.mjs <http base url> <wav file> [key]
import { readFileSync } from "node:fs";
import { DeepgramClient } from "@deepgram/sdk";

const [baseUrl, file, key] = process.argv.slice(2);
const client = new DeepgramClient({ apiKey: key ?? "no-key", baseUrl });
const response = await client.listen.v1.media.transcribeFile(readFileSync(file), { model: "nova-3", punctuate: true, utterances: true });
process.stdout.write(JSON.stringify({ type: "response", ...response }) + "\n");
