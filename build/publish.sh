#!/usr/bin/env bash
# The one build of the deployable gateway: the Dockerfile runs it, and so does the test suite
# (tests/Gateway.FunctionalTests/Packaging/PublishScriptTests), so the image and CI cannot drift.
#
#   build/publish.sh OUT_DIR [extra dotnet publish arguments]
#
# Restores and publishes src/Gateway.Server (Release, framework-dependent, for the ASP.NET runtime) into OUT_DIR.
# The build restores the Silero VAD model with npm and checks its sha256 (build/VadModel.targets); this script
# checks again that the published tree holds the verified model, the server and its configuration.
set -euo pipefail
out="${1:?usage: build/publish.sh OUT_DIR [dotnet publish arguments]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
expected="$(sed -n 's:.*<VadModelSha256>\([0-9a-f]*\)</VadModelSha256>.*:\1:p' "$root/build/VadModel.targets")"

dotnet publish "$root/src/Gateway.Server/Gateway.Server.csproj" -c Release -o "$out" --nologo -p:UseAppHost=false "$@"

for f in Gateway.Server.dll appsettings.json models/silero_vad.onnx; do
  [ -f "$out/$f" ] || { echo "publish: $out/$f is missing" >&2; exit 1; }
done
actual="$(sha256sum "$out/models/silero_vad.onnx" | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
  echo "publish: models/silero_vad.onnx has sha256 $actual, expected $expected" >&2
  exit 1
fi
echo "published to $out (VAD model sha256 verified)"
