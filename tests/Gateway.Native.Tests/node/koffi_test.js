// The FunASR DLL's README "Integration (Node.js koffi)" snippet with only the library file name changed
// ('funasr.dll' -> libfunasr.so; the fixture's file and the simulator's URL stand in for 'a.pcm' and the server),
// then checks of what it did. Usage: node koffi_test.js <libfunasr.so> <pcm_file> <ws_url> <expected>
const fs = require('fs');
const [libraryPath, pcmPath, wsUrl, expected] = process.argv.slice(2);
const lines = [];
const log = console.log;
console.log = (...args) => { lines.push(args.join(' ')); log(...args); };

// --- the README snippet ---
const koffi = require('koffi');
const lib = koffi.load(libraryPath);

const funasr_init = lib.func('funasr_init', 'int', []);
const funasr_pcm_file = lib.func('funasr_pcm_file', 'str', ['str', 'str']);
const funasr_free = lib.func('funasr_free', 'void', ['str']);
const funasr_cleanup = lib.func('funasr_cleanup', 'void', []);

funasr_init();
const res = funasr_pcm_file(pcmPath, wsUrl);
console.log(res);
funasr_free(res);
funasr_cleanup();
// --- end of the snippet ---

console.log = log;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) process.exitCode = 1;
}

check(res === expected && lines[0] === expected, `the snippet printed ${JSON.stringify(lines[0])}`);

// Beyond the snippet: PCM from memory, the thread's last error, and the strings the library still holds.
const funasr_pcm = lib.func('funasr_pcm', 'str', ['const uint8_t *', 'uint32', 'str']);
const funasr_last_error = lib.func('funasr_last_error', 'uint32', []);
const funasr_live_strings = lib.func('funasr_live_strings', 'uint64', []);
const pcm = fs.readFileSync(pcmPath);
for (let i = 0; i < 3; i++) {
  const text = funasr_pcm(pcm, pcm.length, wsUrl);
  check(text === expected, `funasr_pcm #${i}: ${JSON.stringify(text)}`);
  funasr_free(text);
}
// koffi hands funasr_free a copy of the text, not the library's pointer: the library still frees its own string.
check(Number(funasr_live_strings()) === 0, `no string leaked through the 'str' declarations: ${funasr_live_strings()} live`);
const failed = funasr_pcm(Buffer.alloc(0), 0, wsUrl);
check(failed === null && funasr_last_error() === 3, `empty audio: null, last_error ${funasr_last_error()} (FUNASR_ERR_EMPTY_AUDIO)`);
funasr_cleanup();
console.log(process.exitCode ? 'node koffi test failed' : 'node koffi test passed');
