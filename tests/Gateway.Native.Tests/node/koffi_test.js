// The FunASR DLL's koffi snippet (its header's README block), with only the library file name changed,
// transcribing a fixture through libfunasr.so. Usage: node koffi_test.js <libfunasr.so> <pcm_file> <ws_url> <expected>
const fs = require('fs');
const [libraryPath, pcmPath, wsUrl, expected] = process.argv.slice(2);

const koffi = require('koffi');
const lib = koffi.load(libraryPath);
const funasr_init    = lib.func('funasr_init',    'int',  []);
const funasr_pcm     = lib.func('funasr_pcm',     'str',  ['buffer','uint32','str']);
const funasr_pcm_file= lib.func('funasr_pcm_file','str',  ['str','str']);
const funasr_free    = lib.func('funasr_free',     'void', ['str']);
const funasr_cleanup = lib.func('funasr_cleanup',  'void', []);

// Not part of the DLL's snippet: the error check reads the thread's last error.
const funasr_last_error = lib.func('funasr_last_error', 'uint32', []);

function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) process.exitCode = 1;
}

check(funasr_init() === 0, 'funasr_init');
const pcm = fs.readFileSync(pcmPath);
for (let i = 0; i < 3; i++) {
  const text = funasr_pcm(pcm, pcm.length, wsUrl);
  check(text === expected, `funasr_pcm #${i}: ${JSON.stringify(text)}`);
  funasr_free(text);
}
const fromFile = funasr_pcm_file(pcmPath, wsUrl);
check(fromFile === expected, `funasr_pcm_file: ${JSON.stringify(fromFile)}`);
funasr_free(fromFile);

const failed = funasr_pcm(Buffer.alloc(0), 0, wsUrl);
check(failed === null && funasr_last_error() === 3, `empty audio: null, last_error ${funasr_last_error()} (FUNASR_ERR_EMPTY_AUDIO)`);
funasr_cleanup();
console.log(process.exitCode ? 'node koffi test failed' : 'node koffi test passed');
