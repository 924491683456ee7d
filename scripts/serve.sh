#!/usr/bin/env bash
# Start the ASGI server (HTTP + websockets) and a real Celery worker together.
# Ctrl-C (or either process dying) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
BIN=.venv/bin

cleanup() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if [ "$(id -u)" = 0 ]; then
  # Celery prints a long warning for a worker run as root, as in many containers: say it once,
  # in words a newcomer can act on.
  echo "  Running as root: fine for trying Bridgework; in production run the worker as its own user."
  export PYTHONWARNINGS="ignore:You're running the worker with superuser privileges"
fi

pids=()
"$BIN/celery" -A config worker --beat --loglevel=INFO --concurrency=2 \
  --schedule var/celerybeat-schedule &
pids+=($!)
"$BIN/uvicorn" config.asgi:application --host 127.0.0.1 --port "$PORT" --lifespan off --no-proxy-headers --ws-per-message-deflate false --log-level info &
pids+=($!)

echo
echo "  Bridgework is running at http://127.0.0.1:${PORT}/   (Ctrl-C to stop)"
echo "  Health: http://127.0.0.1:${PORT}/healthz"
echo
wait -n
