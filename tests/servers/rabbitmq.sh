# RabbitMQ for the live-input tests (sourced by test.sh; see README.md here).
# A broker of its own on 127.0.0.1: node name, AMQP and distribution ports, data, logs, config and Erlang
# cookie (in a temp HOME) under $FOCUS_TEST_RUN_DIR, no plugins. Debian's package does not start a broker
# here (policy-rc.d); if a system broker runs, ours still differs by node name and ports.
# Exports FOCUS_TEST_RABBITMQ (AMQP URI), FOCUS_TEST_RABBITMQ_NODE and FOCUS_TEST_RABBITMQ_HOME: tests run
#   HOME=$FOCUS_TEST_RABBITMQ_HOME /usr/lib/rabbitmq/bin/rabbitmqctl -n $FOCUS_TEST_RABBITMQ_NODE list_queues name arguments
packages+=(rabbitmq-server)

rabbitmq_pid=""
epmd_pid=""
# The real CLI: /usr/sbin/rabbitmqctl switches to the rabbitmq user and its HOME (and cookie).
rabbitmqctl=/usr/lib/rabbitmq/bin/rabbitmqctl

rabbitmq_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_rabbitmq() {
  local dir="$FOCUS_TEST_RUN_DIR/rabbitmq"
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  local port dist epmd_port
  port=$(rabbitmq_free_port)
  dist=$(rabbitmq_free_port)
  while [ "$dist" = "$port" ]; do dist=$(rabbitmq_free_port); done
  epmd_port=$(rabbitmq_free_port)
  # Erlang's port mapper on a port of our own, started and stopped by PID here: left to itself the broker
  # starts `epmd -daemon` on 4369, which outlives the run. ERL_EPMD_PORT reaches the broker, rabbitmqctl
  # and the tests' rabbitmqctl calls (exported).
  export ERL_EPMD_PORT="$epmd_port"
  /usr/bin/epmd -port "$epmd_port" -address 127.0.0.1 > "$dir/epmd.out" 2>&1 &
  epmd_pid=$!
  local node="focus-test-$$@localhost"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/home/.erlang.cookie"
  chmod 400 "$dir/home/.erlang.cookie"
  printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\n' "$port" > "$dir/rabbitmq.conf"
  echo '[].' > "$dir/enabled_plugins"
  : > "$dir/rabbitmq-env.conf"

  export FOCUS_TEST_RABBITMQ_NODE="$node" FOCUS_TEST_RABBITMQ_HOME="$dir/home"
  (
    export HOME="$dir/home" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
      RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT="$dist" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
      RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
      RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
    exec /usr/lib/rabbitmq/bin/rabbitmq-server > "$dir/server.out" 2>&1
  ) &
  rabbitmq_pid=$!
  # await_startup fails at once while the node is not registered yet, so ask until it answers.
  local deadline=$((SECONDS + 90))
  until HOME="$dir/home" "$rabbitmqctl" -q -n "$node" await_startup --timeout 60 > "$dir/await.out" 2>&1; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$rabbitmq_pid" 2>/dev/null; then
      echo "rabbitmq.sh: the broker did not start; rabbitmqctl and broker output:" >&2
      tail -20 "$dir/await.out" "$dir/server.out" >&2 || true
      stop_rabbitmq
      return 1
    fi
    sleep 0.5
  done
  export FOCUS_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$port/"
  echo "rabbitmq.sh: broker $node on 127.0.0.1:$port (pid $rabbitmq_pid)"
}

stop_rabbitmq() {
  stop_rabbitmq_broker
  if [ -n "$epmd_pid" ]; then
    kill -TERM "$epmd_pid" 2>/dev/null || true
    wait "$epmd_pid" 2>/dev/null || true
    epmd_pid=""
  fi
}

stop_rabbitmq_broker() {
  [ -n "$rabbitmq_pid" ] || return 0
  kill -TERM "$rabbitmq_pid" 2>/dev/null || { rabbitmq_pid=""; return 0; }
  for _ in $(seq 1 60); do
    kill -0 "$rabbitmq_pid" 2>/dev/null || { rabbitmq_pid=""; return 0; }
    sleep 0.5
  done
  kill -KILL "$rabbitmq_pid" 2>/dev/null || true
  rabbitmq_pid=""
}
