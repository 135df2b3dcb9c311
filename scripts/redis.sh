#!/usr/bin/env bash
# Start (or stop) a throwaway Redis server on loopback, for the queue's tests and benchmarks.
#   scripts/redis.sh start DIR PORT   prints the REDIS_URL to use
#   scripts/redis.sh stop DIR
# Installs Debian's redis-server package first if the server is missing. Nothing is saved to
# disk: the server forgets everything when it stops.
set -euo pipefail
action=$1
dir=$2
port=${3:-63799}

case "$action" in
  start)
    if ! command -v redis-server >/dev/null 2>&1; then
      echo "Installing Redis (Debian package redis-server)..." >&2
      if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y -q redis-server >/dev/null 2>&1 \
          || { apt-get update -q >/dev/null 2>&1; apt-get install -y -q redis-server >/dev/null; }
      else
        sudo -n apt-get install -y -q redis-server >/dev/null
      fi
    fi
    command -v redis-server >/dev/null 2>&1 || { echo "redis-server not found" >&2; exit 1; }
    rm -rf "$dir"
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no \
      --protected-mode yes >/dev/null
    # Wait until it answers (it daemonizes before it listens).
    for _ in $(seq 1 50); do
      if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
        echo "redis://127.0.0.1:$port/0"
        exit 0
      fi
      sleep 0.1
    done
    echo "Redis did not start on port $port (see $dir/redis.log)" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/redis.pid" ]; then
      pid=$(cat "$dir/redis.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
