#!/usr/bin/env bash
# The full-size fleet scenario of docs/deployment.md, on loopback: redis-server, 2 FunASR simulators, 3 gateways
# behind haproxy (deploy/haproxy.cfg), sharing jobs and rooms through Redis. The load tool streams through haproxy
# while ROOMS rooms run (speakers and viewers landing on any gateway) and JOBS jobs run; at STOP_AT seconds gateway1
# gets SIGTERM (pre-stop delay, drain); then CRASH_JOBS more jobs run and gateway2 gets SIGKILL (its jobs are reclaimed).
# Prints the load and rooms reports, a one-line outcome (lost finals, jobs done/doubled), and Redis's load over the
# streaming phase (INFO stats and INFO commandstats deltas, instantaneous_ops_per_sec samples), also per 1,000 streams.
#
# Build first:
#   dotnet build -c Release src/Gateway.Server && dotnet build -c Release tests/FunAsr.Simulator \
#     && dotnet build -c Release clients/Gateway.Load
# Run:  scripts/fleet-demo.sh   (environment variables: STREAMS=600 JOBS=40 DURATION=60 RAMP=20 STOP_AT=8
#       PRESTOP=00:01:30 ROOMS=2 SPEAKERS=4 VIEWERS=10 CRASH_JOBS=8)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
STREAMS="${STREAMS:-600}" JOBS="${JOBS:-40}" DURATION="${DURATION:-60}" RAMP="${RAMP:-20}"
STOP_AT="${STOP_AT:-8}" PRESTOP="${PRESTOP:-00:01:30}"
ROOMS="${ROOMS:-2}" SPEAKERS="${SPEAKERS:-4}" VIEWERS="${VIEWERS:-10}" CRASH_JOBS="${CRASH_JOBS:-8}"
work="$(mktemp -d /tmp/fleet-demo.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitfor() { for _ in $(seq 1 300); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "timeout: $1" >&2; exit 1; }
bin="$root/src/Gateway.Server/bin/Release/net10.0"
sim="$root/tests/FunAsr.Simulator/bin/Release/net10.0/FunAsr.Simulator.dll"
load="$root/clients/Gateway.Load/bin/Release/net10.0/Gateway.Load.dll"
echo "logs in $work"

redis_port=$(port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!); others=("redis:$!")
sims=()
for i in 1 2; do
  p=$(port); dotnet "$sim" --port "$p" --flavour funasr-2pass --quiet >"$work/sim$i.log" 2>&1 & pids+=($!); sims+=("$p"); others+=("sim$i:$!")
done
gw_ports=(); gw_pids=()
for i in 1 2 3; do
  p=$(port); gw_ports+=("$p")
  (cd "$bin" && exec dotnet Gateway.Server.dll --Urls "http://127.0.0.1:$p" \
    --Upstream:Endpoints:0:Url "ws://127.0.0.1:${sims[0]}/" --Upstream:Endpoints:1:Url "ws://127.0.0.1:${sims[1]}/" \
    --Upstream:Endpoints:1:Flavour funasr-2pass --Jobs:Redis "127.0.0.1:$redis_port" --Redis:Configuration "127.0.0.1:$redis_port" --Jobs:DataDirectory "$work/jobs$i" \
    --Jobs:LeaseTimeout 00:00:05 --Admission:MaxClients 1000 --Sessions:PreStopDelay "$PRESTOP" \
    --Vad:EnergyGate:Enabled true --Serilog:MinimumLevel:Default Warning) >"$work/gateway$i.log" 2>&1 &
  pids+=($!); gw_pids+=($!)
done
for p in "${gw_ports[@]}"; do waitfor "http://127.0.0.1:$p/readyz"; done
# CPU seconds of a process, kept up to date every second until it exits (gateways 1 and 2 do not live to the end).
sample_cpu() { while kill -0 "$1" 2>/dev/null; do awk -v t="$(getconf CLK_TCK)" '{print ($14+$15)/t}' "/proc/$1/stat" >"$work/cpu.$2.tmp" 2>/dev/null && mv "$work/cpu.$2.tmp" "$work/cpu.$2"; sleep 1; done; }
for i in 0 1 2; do sample_cpu "${gw_pids[$i]}" "gateway$((i + 1))" & pids+=($!); done
lb=$(port); stats=$(port)
HAPROXY_BIND="127.0.0.1:$lb" HAPROXY_STATS="127.0.0.1:$stats" GATEWAY1="127.0.0.1:${gw_ports[0]}" \
  GATEWAY2="127.0.0.1:${gw_ports[1]}" GATEWAY3="127.0.0.1:${gw_ports[2]}" haproxy -db -f "$root/deploy/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!); others+=("haproxy:$!")
for o in "${others[@]}"; do sample_cpu "${o#*:}" "${o%%:*}" & pids+=($!); done
waitfor "http://127.0.0.1:$lb/readyz"
# The rooms exist on every gateway (the rooms run's own POST through haproxy then answers 409), so a viewer that
# haproxy sends anywhere finds its room before any speaker has joined; events go through Redis.
for r in $(seq 0 $((ROOMS - 1))); do
  for p in "${gw_ports[@]}"; do
    curl -fsS -o /dev/null -H 'content-type: application/json' \
      -d "{\"name\":\"load-$r\",\"max_participants\":$SPEAKERS,\"max_viewers\":$VIEWERS}" "http://127.0.0.1:$p/v1/rooms"
  done
done

media="$work/job.wav"
ffmpeg -loglevel error -stream_loop 3 -i "$root/tests/fixtures/vad/three_utterances.wav" -ar 16000 -ac 1 "$media"
redis_stats() { redis-cli -p "$redis_port" info stats | tr -d '\r' | awk -F: '/^(total_commands_processed|total_net_input_bytes|total_net_output_bytes):/{printf "%s ", $2}'; }
redis_commands() { redis-cli -p "$redis_port" info commandstats | tr -d '\r' | sed -n 's/^cmdstat_\([^:]*\):calls=\([0-9]*\),.*/\1 \2/p'; }
# The idle fleet's own Redis traffic first (job claim polls, room-bus heartbeats), over IDLE seconds.
read -r b0 _ _ <<<"$(redis_stats)"; sleep "${IDLE:-10}"; read -r b1 _ _ <<<"$(redis_stats)"
redis_commands >"$work/cmd0"; read -r c0 i0 o0 <<<"$(redis_stats)"; t0=$(date +%s.%N)
# Redis's own view of the rate, sampled every 2 s while the streams run.
( while :; do redis-cli -p "$redis_port" info stats | tr -d '\r' | sed -n 's/^instantaneous_ops_per_sec://p'; sleep 2; done ) >"$work/ops.txt" 2>/dev/null &
ops_pid=$!; pids+=($ops_pid)

dotnet "$load" stream --url "http://127.0.0.1:$lb" --streams "$STREAMS" --duration "$DURATION" --ramp "$RAMP" \
  --talk-ratio 0.2 --json "$work/streams.json" >"$work/load.txt" 2>&1 &
load_pid=$!; pids+=($load_pid)
sample_cpu "$load_pid" load & pids+=($!)
dotnet "$load" rooms --url "http://127.0.0.1:$lb" --rooms "$ROOMS" --speakers "$SPEAKERS" --viewers "$VIEWERS" \
  --duration "$DURATION" --ramp 2 --talk-ratio 0.5 --settle 1 --json "$work/rooms.json" >"$work/rooms.txt" 2>&1 &
rooms_pid=$!; pids+=($rooms_pid)
: >"$work/jobs.txt"
for i in $(seq 1 "$JOBS"); do
  curl -fsS -F "audio=@$media;filename=job$i.wav" "http://127.0.0.1:$lb/api/v1/asr/submit" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["task_id"])' >>"$work/jobs.txt"
done
sleep "$STOP_AT"; echo "t=${STOP_AT}s: SIGTERM gateway1"; kill -TERM "${gw_pids[0]}"
wait "$load_pid" || true
wait "$rooms_pid" || true
read -r c1 i1 o1 <<<"$(redis_stats)"; t1=$(date +%s.%N); redis_commands >"$work/cmd1"; kill "$ops_pid" 2>/dev/null || true
cat "$work/load.txt" "$work/rooms.txt"
python3 - "$work/streams.json" "$work/rooms.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); w = s["words"]
print(f"streams: {s['connected']} connected, {s['refused'] + s['failed']} refused/failed, {s['abnormal_closes']} abnormal closes, "
      f"lost finals {s['utterances_without_final']} utterances / {s['segments_without_final']} segments, "
      f"words {w['recovered']} of {w['expected']} (lost {w['lost']}, duplicated {w['duplicated']})")
try:
    r = json.load(open(sys.argv[2]))
    print(f"rooms: {r['rooms']} x {r['speakers_per_room']} speakers x {r['viewers_per_room']} viewers ({r['viewers_connected']} connected): "
          f"{r['speaker_finals']} speaker finals, viewers lost {r['lost_viewer_finals']} and doubled {r['duplicated_viewer_finals']} "
          f"of {r['expected_viewer_finals']}, speaker words lost {r['speakers']['words']['lost']}")
except (OSError, ValueError, KeyError) as e:
    print(f"rooms: no report ({e})")
PY

# Waits for every job listed in $1 and prints how they ended, the audio they held and the fleet's job throughput.
jobs_report() {
  local file="$1" label="$2" done_jobs=0 reclaimed=0 audio=0 first="" last="" n=0 s r
  while read -r id; do
    n=$((n + 1))
    for _ in $(seq 1 1200); do
      # Right after a SIGKILL haproxy may answer 502 once (a kept-alive connection to the dead gateway): ask again.
      r=$(curl -fsS "http://127.0.0.1:$lb/api/v1/asr/result/$id" 2>/dev/null) || { echo "  (result of $id: HTTP error, retrying)"; sleep 0.5; continue; }
      s=$(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(j["status"], j["attempts"], len(j.get("sentences") or []), j.get("duration") or 0, j.get("started_at") or "-", j.get("finished_at") or "-")' "$r")
      case "$s" in done*|failed*) break;; esac; sleep 0.5
    done
    set -- $s
    [ "$1" = done ] && [ "$3" = 12 ] && done_jobs=$((done_jobs + 1))
    [ "$2" -ge 2 ] && reclaimed=$((reclaimed + 1))
    audio=$(python3 -c "print($audio + $4)")
    if [ -z "$first" ] || [[ "$5" < "$first" ]]; then first="$5"; fi
    if [[ "$6" > "$last" ]]; then last="$6"; fi
  done <"$file"
  python3 - "$label" "$n" "$done_jobs" "$reclaimed" "$audio" "$first" "$last" <<'PY'
import sys
from datetime import datetime
label, n, ok, again, audio = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
span = (datetime.fromisoformat(sys.argv[7]) - datetime.fromisoformat(sys.argv[6])).total_seconds()
print(f"{label}: {ok} of {n} done with all 12 sentences, {again} ran twice (attempts 2); {audio:.0f} s of audio, "
      f"first start to last finish {span:.1f} s = {audio/span:.1f}x real time over the fleet")
PY
}
jobs_report "$work/jobs.txt" "jobs during the streams (gateway1 stopped mid-run)"

# Then a crash: long jobs on the two gateways left, and gateway2 is killed while it runs some of them.
: >"$work/jobs2.txt"
for i in $(seq 1 "$CRASH_JOBS"); do
  curl -fsS -F "audio=@$media;filename=crash$i.wav" "http://127.0.0.1:$lb/api/v1/asr/submit" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["task_id"])' >>"$work/jobs2.txt"
done
for _ in $(seq 1 200); do
  q=$(curl -fsS "http://127.0.0.1:${gw_ports[1]}/api/v1/asr/queue/status")
  python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1])["processing_here"] > 0 else 1)' "$q" && break; sleep 0.1
done
echo "SIGKILL gateway2 (its queue status: $q)"; kill -9 "${gw_pids[1]}"
jobs_report "$work/jobs2.txt" "jobs across the SIGKILL"
total=$(curl -fsS "http://127.0.0.1:$lb/api/v1/asr/history?page_size=1&status=done" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "history: $total jobs done (each once), of $((JOBS + CRASH_JOBS)) submitted"
for n in gateway1 gateway2 gateway3 load sim1 sim2 haproxy redis; do echo "$n CPU seconds (start to exit or end): $(cat "$work/cpu.$n" 2>/dev/null || echo -)"; done
python3 - "$c0" "$c1" "$i0" "$i1" "$o0" "$o1" "$t0" "$t1" "$STREAMS" "$((ROOMS * SPEAKERS))" "$work/cmd0" "$work/cmd1" "$work/ops.txt" "$b0" "$b1" "${IDLE:-10}" <<'PY'
import sys
c0, c1, i0, i1, o0, o1, t0, t1, n, speakers = map(float, sys.argv[1:11])
print(f"redis, idle fleet before the load: {(float(sys.argv[15]) - float(sys.argv[14])) / float(sys.argv[16]):.1f} commands/s")
dt = t1 - t0
calls = lambda f: {k: int(v) for k, v in (l.split() for l in open(f) if l.strip())}
a, b = calls(sys.argv[11]), calls(sys.argv[12])
ops = [int(x) for x in open(sys.argv[13]).read().split()]
streams = n + speakers
per = 1000 / streams
cps, kin, kout = (c1 - c0) / dt, (i1 - i0) / dt / 1024, (o1 - o0) / dt / 1024
print(f"redis over the streaming phase ({dt:.0f} s, {streams:.0f} streams incl. room speakers, plus the jobs): "
      f"{cps:.1f} commands/s, in {kin:.1f} KiB/s, out {kout:.1f} KiB/s")
if ops:
    print(f"redis instantaneous_ops_per_sec every 2 s: mean {sum(ops)/len(ops):.0f}, max {max(ops)} ({len(ops)} samples)")
print(f"per 1,000 streams (this mix scaled): {cps*per:.1f} commands/s, in {kin*per:.1f} KiB/s, out {kout*per:.1f} KiB/s")
top = sorted(((b.get(k, 0) - a.get(k, 0), k) for k in b), reverse=True)
print("redis commands over the phase: " + ", ".join(f"{k} {d} ({d/dt:.1f}/s)" for d, k in top if d > 0))
PY
# gateway1 ends by itself after its pre-stop delay and drain.
gw1_rc=0; wait "${gw_pids[0]}" || gw1_rc=$?
echo "gateway1 exit: $gw1_rc"
