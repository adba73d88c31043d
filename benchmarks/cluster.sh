# The cluster mode of benchmarks/run (docs/benchmarks.md#cluster), sourced by it: everything it starts goes into
# run's pids and is stopped by run's cleanup.
#
# 1. A private etcd cluster of 3 members (io.taskapi.benchmarks.cluster.EtcdMembers: the etcd binary on free loopback
#    ports, temporary data directories).
# 2. Three benchmark servers side by side, on the in-memory stores of taskapi-testing, on the plugin's embedded store
#    and on etcd: the workload-identity GET (taskapi-jwt-*) on all three, token writes (POST /v1/acl/token) and
#    variable writes (PUT /v1/var/…) on the last two, interleaved reps.
# 5. (PARTS=agent, not by default: it builds the example agent) ./taskapi agent -dev -acl-enabled -etcd-endpoints …
#    on the seeded prefix and on an empty one, alternately: launch to its first HTTP answer, and its heap after a full
#    GC (jcmd).
# PARTS (default "rows start simulation") picks the parts.
# 3. SEED_TOKENS tokens and SEED_POLICIES policies written to a prefix; then REPS servers on that prefix and REPS on an
#    empty one, alternately: time from launch to ready, and the live heap after a full GC.
# 4. AGENTS servers on one prefix, each with TASKS task sockets (live allocations in etcd, one identity each):
#    start time, memory per agent, TRIALS token creations and revocations through agent 1 timed on the others,
#    CPU of agents and etcd members, etcd's revision before and after, and IDLE seconds at rest.

# CPU ticks (utime + stime) of the pids given
cpu_ticks() {
  local pid total=0
  for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# etcd's current revision and database size ("REVISION DB_BYTES"), from its JSON gateway
etcd_status() {
  local endpoint="${etcd_endpoints%%,*}" rev size
  rev="$(curl -fsS -X POST "$endpoint/v3/kv/range" -d '{"key":"AA=="}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')"
  size="$(curl -fsS -X POST "$endpoint/v3/maintenance/status" -d '{}' | sed -n 's/.*"dbSize":"\([0-9]*\)".*/\1/p')"
  echo "${rev:-0} ${size:-0}"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# seconds of a duration like 20s or 1m
seconds_of() {
  case "$1" in
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) die "$1: whole seconds or minutes, like 20s or 1m" ;;
  esac
}

etcd_members_pid="" etcd_endpoints="" etcd_pids=""
start_etcd() {
  command -v etcd >/dev/null || die "etcd is missing: install Debian's etcd-server (.ci/install-test-deps)"
  local log="$OUT/logs/etcd.log"
  : >"$log"
  java "${client_opts[@]}" -cp "$classpath" io.taskapi.benchmarks.cluster.EtcdMembers 3 >"$log" 2>&1 &
  etcd_members_pid=$!
  pids+=("$etcd_members_pid")
  for _ in $(seq 600); do
    grep -q '^etcd: ready' "$log" && break
    kill -0 "$etcd_members_pid" 2>/dev/null || { cat "$log" >&2; die "the etcd members did not start"; }
    sleep 0.2
  done
  local ready
  ready="$(grep '^etcd: ready' "$log")" || die "etcd did not get ready in 2 minutes (see $log)"
  etcd_endpoints="$(kv endpoints "$ready")"
  etcd_pids="$(kv pids "$ready" | tr ',' ' ')"
  echo "etcd: $(etcd --version | head -n 1), 3 members on loopback, data in a temporary directory" >>"$OUT/env.txt"
}

# starts a server: NAME ARGS…; sets server_pid; its socket is $work/NAME.sock, its credentials $work/NAME/
start_named() {
  local name="$1"; shift
  mkdir -p "$work/$name"
  : >"$OUT/logs/$name.log" # before the server writes it: start_server reads it at once
  SERVER_SOCKET="$work/$name.sock" SERVER_CREDENTIALS="$work/$name" start_server "$OUT/logs/$name.log" "$@"
}

cluster() {
  env_summary
  : >"$OUT/cluster.md"
  log "starting a 3-member etcd cluster (log: $OUT/logs/etcd.log)"
  start_etcd
  local etcd_args=(--state etcd --etcd-endpoints "$etcd_endpoints" --root-key-file "$work/root.key")
  local part
  for part in $PARTS; do
    case "$part" in
      rows) cluster_rows ;;
      start) cluster_start ;;
      simulation) cluster_simulation ;;
      agent) cluster_agent ;;
      *) die "PARTS: rows, start, simulation and agent, not $part" ;;
    esac
  done
  echo
  cat "$OUT/cluster.md"
  echo
  log "results: $OUT/cluster.md; raw: $OUT/raw*.jsonl; logs: $OUT/logs/"
}

# ---- 1 and 2: the same requests on the embedded store and on etcd, side by side
cluster_rows() {
  log "three servers: in-memory stores, the plugin's embedded store, and etcd"
  start_named memory --state memory --memory-log-seconds 0
  local memory_pid="$server_pid"
  start_named embedded --state embedded --memory-log-seconds 0
  local embedded_pid="$server_pid"
  start_named etcd "${etcd_args[@]}" --etcd-prefix /bench-rows --memory-log-seconds 0
  local etcd_pid="$server_pid"
  local -A sock pid
  sock[memory]="$work/memory.sock" pid[memory]="$memory_pid"
  sock[embedded]="$work/embedded.sock" pid[embedded]="$embedded_pid"
  sock[etcd]="$work/etcd.sock" pid[etcd]="$etcd_pid"
  row_request() { # KIND STORE: LoadGenerator flags
    local acl jwt
    acl="$(cat "$work/$2/acl")" jwt="$(cat "$work/$2/jwt")"
    case "$1" in
      jwt) printf '%s\n' --path /v1/client/metadata -H "X-Nomad-Token: $jwt" ;;
      token-write) printf '%s\n' --method POST --path /v1/acl/token -H "X-Nomad-Token: $acl" \
        -H "Content-Type: application/json" --body '{"Name":"bench-write","Type":"client","Policies":["bench-workload"]}' ;;
      var-write) printf '%s\n' --method PUT --path /v1/var/bench/write -H "X-Nomad-Token: $acl" \
        -H "Content-Type: application/json" --body '{"Items":{"k":"v"}}' ;;
    esac
  }
  stores_of() { # KIND: the servers a row runs on (the in-memory stores only for the GET: their writes cost nothing)
    if [[ "$1" == jwt ]]; then echo memory embedded etcd; else echo embedded etcd; fi
  }
  local kind store request=() status
  for kind in jwt token-write var-write; do
    for store in $(stores_of "$kind"); do
      mapfile -t request < <(row_request "$kind" "$store")
      status="$(load --socket "${sock[$store]}" --once "${request[@]}" | cut -d' ' -f1 || true)"
      [[ "$status" == 200 ]] || die "$kind on $store answered $status, not 200"
    done
  done
  log "warming them up: $SERVER_WARMUP of identity GETs each"
  for store in memory embedded etcd; do
    mapfile -t request < <(row_request jwt "$store")
    load --socket "${sock[$store]}" --name warmup -c "$CONNS" --warmup 0s --duration "$SERVER_WARMUP" \
      "${request[@]}" >/dev/null 2>>"$OUT/logs/warmup.log"
  done
  local rep conns raw
  for rep in $(seq "$REPS"); do
    for kind in jwt token-write var-write; do
      for store in $(stores_of "$kind"); do
        mapfile -t request < <(row_request "$kind" "$store")
        conns="$CONNS" raw="$OUT/raw.jsonl"
        [[ "$kind" == jwt ]] || conns="$WRITE_CONNS" raw="$OUT/raw-writes.jsonl"
        load --socket "${sock[$store]}" --name "taskapi-$kind-$store" --rep "$rep" -c "$conns" --threads "$THREADS" \
          --warmup "$WARMUP" --duration "$DUR" --server-pid "${pid[$store]}" --out "$raw" \
          "${request[@]}" >/dev/null 2>>"$OUT/logs/load.log"
        tail -n 1 "$OUT/logs/load.log" >&2
      done
    done
  done
  stop "$memory_pid"
  stop "$embedded_pid"
  stop "$etcd_pid"
  {
    echo "## Identity GET and writes: embedded store against etcd"
    echo
    echo "REPS=$REPS DUR=$DUR WARMUP=$WARMUP; GET: CONNS=$CONNS; writes: WRITE_CONNS=$WRITE_CONNS; medians;" \
      "$(sed -n 's/^commit: //p' "$OUT/env.txt"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    java "${client_opts[@]}" -cp "$classpath" io.taskapi.benchmarks.load.Report "$OUT/raw.jsonl" taskapi-jwt-embedded
    echo
    java "${client_opts[@]}" -cp "$classpath" io.taskapi.benchmarks.load.Report "$OUT/raw-writes.jsonl" \
      taskapi-token-write-embedded
    echo
  } >>"$OUT/cluster.md"
}

# /bench-seeded: SEED_TOKENS tokens and SEED_POLICIES policies, once per run; sets seeded to the seeder's line
seeded=""
seed_once() {
  [[ -z "$seeded" ]] || return 0
  log "seeding /bench-seeded: $SEED_TOKENS tokens, $SEED_POLICIES policies"
  java "${client_opts[@]}" -cp "$classpath" io.taskapi.benchmarks.cluster.EtcdSeed --etcd-endpoints "$etcd_endpoints" \
    --etcd-prefix /bench-seeded --tokens "$SEED_TOKENS" --policies "$SEED_POLICIES" \
    >"$OUT/logs/seed.log" 2>&1 || { cat "$OUT/logs/seed.log" >&2; die "seeding failed"; }
  seeded="$(grep '^seed:' "$OUT/logs/seed.log")"
  log "$seeded"
}

# ---- 3: start time and heap with SEED_TOKENS tokens and SEED_POLICIES policies in etcd
cluster_start() {
  seed_once
  local rep prefix name t0 line heap rss
  : >"$OUT/start.txt"
  for rep in $(seq "$REPS"); do
    for prefix in bench-empty bench-seeded; do
      name="start-$prefix-$rep"
      t0=$(now_ms)
      start_named "$name" "${etcd_args[@]}" --etcd-prefix "/$prefix" --memory-log-seconds 1 --memory-log-gc
      local ready_ms=$(($(now_ms) - t0))
      for _ in $(seq 200); do grep -q '^bench: memory phase=run' "$OUT/logs/$name.log" && break; sleep 0.1; done
      line="$(grep '^bench: memory phase=run' "$OUT/logs/$name.log" | head -n 1)"
      heap="$(kv heap_used_kb "$line")" rss="$(kv vmrss_kb "$line")"
      stop "$server_pid"
      echo "$prefix $ready_ms $(kv start_ms "$(grep '^bench: ready' "$OUT/logs/$name.log")") $heap $rss" >>"$OUT/start.txt"
    done
  done
  {
    echo "## Start with $SEED_TOKENS tokens and $SEED_POLICIES policies in etcd"
    echo
    echo "$seeded; REPS=$REPS alternately; launch to ready (the task socket serves) and live heap after a full GC," \
      "medians; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| prefix | launch to ready (ms) | of which plugin and state start (ms) | live heap (MB) | RSS (MB) |"
    echo "|---|---:|---:|---:|---:|"
    awk '{ k = $1; n[k]++; w[k, n[k]] = $2; s[k, n[k]] = $3; h[k, n[k]] = $4; r[k, n[k]] = $5 }
      function med(a, k, c,   i, j, t, v) {
        for (i = 1; i <= c; i++) v[i] = a[k, i]
        for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
      }
      END {
        for (k in n) {
          W[k] = med(w, k, n[k]); S[k] = med(s, k, n[k]); H[k] = med(h, k, n[k]); R[k] = med(r, k, n[k])
          printf "| %s | %d | %d | %.1f | %.0f |\n", k, W[k], S[k], H[k] / 1024, R[k] / 1024
        }
        printf "\nheap added by the seeded state: %.1f MB (%.0f bytes per token, the policies included)\n",
          (H["bench-seeded"] - H["bench-empty"]) / 1024,
          (H["bench-seeded"] - H["bench-empty"]) * 1024 / '"$SEED_TOKENS"'
        printf "start time added: %d ms\n", W["bench-seeded"] - W["bench-empty"]
      }' "$OUT/start.txt"
    echo
  } >>"$OUT/cluster.md"
}

# ---- 4: AGENTS servers x TASKS tasks on one etcd
cluster_simulation() {
  local i t0 agent_pids=() sockets=() starts=()
  log "simulation: $AGENTS servers x $TASKS task sockets on /bench-sim"
  for i in $(seq "$AGENTS"); do
    t0=$(now_ms)
    start_named "agent-$i" "${etcd_args[@]}" --etcd-prefix /bench-sim --node-name "agent-$i" \
      --extra-sockets $((TASKS - 1)) --memory-log-seconds 5 --memory-log-gc
    starts+=($(($(now_ms) - t0)))
    agent_pids+=("$server_pid")
    sockets+=("$work/agent-$i.sock")
  done
  local status0 status1 agents0 agents1 etcd0 etcd1 w0 w1
  # shellcheck disable=SC2086 # etcd_pids is a list
  agents0="$(cpu_ticks "${agent_pids[@]}")" etcd0="$(cpu_ticks $etcd_pids)" status0="$(etcd_status)" w0=$(now_ms)
  log "revocations: $TRIALS tokens created and revoked through agent 1, timed on the $((AGENTS - 1)) others"
  java "${client_opts[@]}" -cp "$classpath" io.taskapi.benchmarks.cluster.Revocations \
    --sockets "$(IFS=,; echo "${sockets[*]}")" --credentials "$work/agent-1" --trials "$TRIALS" \
    >"$OUT/logs/revocations.log" 2>&1 || { cat "$OUT/logs/revocations.log" >&2; die "the revocation trials failed"; }
  # shellcheck disable=SC2086
  agents1="$(cpu_ticks "${agent_pids[@]}")" etcd1="$(cpu_ticks $etcd_pids)" status1="$(etcd_status)" w1=$(now_ms)
  local idle_s
  idle_s="$(seconds_of "$IDLE")"
  log "at rest for ${idle_s}s"
  local ia0 ie0 ir0 ia1 ie1 ir1
  # shellcheck disable=SC2086
  ia0="$(cpu_ticks "${agent_pids[@]}")" ie0="$(cpu_ticks $etcd_pids)" ir0="$(etcd_status)"
  sleep "$idle_s"
  # shellcheck disable=SC2086
  ia1="$(cpu_ticks "${agent_pids[@]}")" ie1="$(cpu_ticks $etcd_pids)" ir1="$(etcd_status)"
  local tck
  tck="$(getconf CLK_TCK)"
  {
    echo "## $AGENTS agents x $TASKS tasks on one etcd (one benchmark server process per agent)"
    echo
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| agent | launch to ready (ms, with $TASKS sockets) | live heap (MB) | RSS (MB) | threads | fds |"
    echo "|---|---:|---:|---:|---:|---:|"
    for i in $(seq "$AGENTS"); do
      local line
      # the last line after a full GC (every 5 s); the ready line (no GC) when the run was shorter than that
      line="$(grep '^bench: memory phase=run' "$OUT/logs/agent-$i.log" | tail -n 1)"
      [[ -n "$line" ]] || line="$(grep '^bench: memory phase=ready' "$OUT/logs/agent-$i.log" | tail -n 1)"
      printf '| agent-%d | %d | %.1f | %.0f | %s | %s |\n' "$i" "${starts[$((i - 1))]}" \
        "$(awk -v k="$(kv heap_used_kb "$line")" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$(kv vmrss_kb "$line")" 'BEGIN { print k / 1024 }')" "$(kv threads "$line")" "$(kv fds "$line")"
    done
    echo
    echo '```'
    cat "$OUT/logs/revocations.log"
    echo '```'
    echo
    awk -v a0="$agents0" -v a1="$agents1" -v e0="$etcd0" -v e1="$etcd1" -v ms=$((w1 - w0)) -v t="$tck" \
      -v r0="${status0% *}" -v r1="${status1% *}" -v db="${status1#* }" -v n="$AGENTS" \
      'BEGIN { s = ms / 1000
        printf "- trials: %.1f s; etcd revisions %d → %d (%.0f a second); db %.1f MB\n", s, r0, r1, (r1 - r0) / s, db / 1048576
        printf "- CPU during the trials: agents %.2f cores together (%.3f each), etcd members %.2f cores together\n",
          (a1 - a0) / t / s, (a1 - a0) / t / s / n, (e1 - e0) / t / s }'
    awk -v a0="$ia0" -v a1="$ia1" -v e0="$ie0" -v e1="$ie1" -v s="$idle_s" -v t="$tck" \
      -v r0="${ir0% *}" -v r1="${ir1% *}" -v n="$AGENTS" \
      'BEGIN { printf "- at rest for %d s: agents %.3f cores together, etcd members %.3f cores, %d revisions\n",
          s, (a1 - a0) / t / s, (e1 - e0) / t / s, r1 - r0 }'
  } >>"$OUT/cluster.md"
  for i in "${agent_pids[@]}"; do stop "$i"; done
}

# ---- 5: the example agent on the seeded prefix and on an empty one
cluster_agent() {
  seed_once
  local port="${AGENT_PORT:-4790}" rep prefix name t0 ms pid code heap
  log "building the example agent if needed: ./taskapi --version"
  "$root/taskapi" --version >/dev/null
  : >"$OUT/agent.txt"
  # rep 0 is not counted: the first agent after a build makes the launcher's class-data archive
  for rep in $(seq 0 "$REPS"); do
    for prefix in bench-agent-empty bench-seeded; do
      name="agent-$prefix-$rep"
      mkdir -p "$work/$name"
      t0=$(now_ms)
      "$root/taskapi" agent -dev -acl-enabled -port "$port" -node "$name" -data-dir "$work/$name" \
        -etcd-endpoints "$etcd_endpoints" -etcd-key-prefix "/$prefix" -keyring-key-file "$work/root.key" \
        >"$OUT/logs/$name.log" 2>&1 &
      pid=$!
      pids+=("$pid")
      code=000
      for _ in $(seq 6000); do
        code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/agent/health" || true)"
        [[ "$code" == 000 ]] || break
        kill -0 "$pid" 2>/dev/null || { cat "$OUT/logs/$name.log" >&2; die "the agent exited"; }
        sleep 0.05
      done
      ms=$(($(now_ms) - t0))
      [[ "$code" != 000 ]] || die "the agent did not answer in 5 minutes (see $OUT/logs/$name.log)"
      sleep 2 # let the start settle before the heap is read
      jcmd "$pid" GC.run >/dev/null 2>&1 || true
      heap="$(jcmd "$pid" GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n 1)"
      stop "$pid"
      [[ "$rep" == 0 ]] || echo "$prefix $ms ${heap:-0}" >>"$OUT/agent.txt"
    done
  done
  {
    echo "## ./taskapi agent -dev -acl-enabled -etcd-endpoints …: $SEED_TOKENS tokens and $SEED_POLICIES policies"
    echo
    echo "$seeded; REPS=$REPS alternately; launch to the first HTTP answer of /v1/agent/health, heap after a full GC" \
      "(jcmd), medians; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| prefix | launch to first answer (ms) | heap after full GC (MB) |"
    echo "|---|---:|---:|"
    awk '{ k = $1; n[k]++; w[k, n[k]] = $2; h[k, n[k]] = $3 }
      function med(a, k, c,   i, j, t, v) {
        for (i = 1; i <= c; i++) v[i] = a[k, i]
        for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
      }
      END {
        for (k in n) { W[k] = med(w, k, n[k]); H[k] = med(h, k, n[k]); printf "| %s | %d | %.1f |\n", k, W[k], H[k] / 1024 }
        printf "\nstart time added: %d ms; heap added: %.1f MB\n", W["bench-seeded"] - W["bench-agent-empty"],
          (H["bench-seeded"] - H["bench-agent-empty"]) / 1024
      }' "$OUT/agent.txt"
    echo
  } >>"$OUT/cluster.md"
}
