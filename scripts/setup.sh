#!/usr/bin/env bash
# Set up everything CodePusher needs on this machine. Idempotent: each step is skipped when done.
#
#   scripts/setup.sh run    # for `make run`: + demo data and the search index in the database
#   scripts/setup.sh test   # for `make test`: + Chromium for the browser tests
#
# Installs Debian packages only when root on Debian (redis-server, docker.io, debootstrap,
# chromium); otherwise says what is missing. Works with no stdin and CI=true.
set -euo pipefail

MODE="${1:-run}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
VAR_DIR="${CODEPUSHER_VAR_DIR:-$REPO_DIR/var}"
VENV="$REPO_DIR/.venv"
PY="$VENV/bin/python"
mkdir -p "$VAR_DIR" "$VAR_DIR/staticfiles"  # STATIC_ROOT: WhiteNoise warns on every start if it is missing

step() { printf '\n==> %s\n' "$*"; }
say() { echo "    $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }
is_root_debian() { [ "$(id -u)" -eq 0 ] && [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*debian' /etc/os-release; }
stamp_ok() { [ -f "$VAR_DIR/$1.stamp" ] && [ "$(cat "$VAR_DIR/$1.stamp")" = "$2" ]; }
stamp_set() { echo "$2" >"$VAR_DIR/$1.stamp"; }

apt_updated=0
apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    is_root_debian || die "missing Debian packages: ${missing[*]} (install them, or run as root on Debian)"
    say "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if [ $apt_updated -eq 0 ]; then
        apt-get update -qq </dev/null >>"$VAR_DIR/apt.log" 2>&1 || die "apt-get update failed (see $VAR_DIR/apt.log)"
        apt_updated=1
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >>"$VAR_DIR/apt.log" 2>&1 \
        || die "apt-get install ${missing[*]} failed (see $VAR_DIR/apt.log)"
}

step "Python packages (virtualenv in .venv)"
command -v python3 >/dev/null || die "python3 is missing"
[ -x "$PY" ] || python3 -m venv "$VENV"
# Running needs requirements.txt; tests, lint and types add requirements-dev.txt (which includes it).
REQUIREMENTS=requirements.txt
[ "$MODE" = "test" ] && REQUIREMENTS=requirements-dev.txt
req_hash="$REQUIREMENTS:$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)"
if stamp_ok pip "$req_hash"; then
    say "up to date"
else
    "$PY" -m pip install -q --upgrade pip >/dev/null
    "$PY" -m pip install -q -r "$REQUIREMENTS" || die "pip install -r $REQUIREMENTS failed"
    stamp_set pip "$req_hash"
    say "installed the pinned packages of $REQUIREMENTS"
fi

step "Front end (npm ci + esbuild)"
command -v npm >/dev/null || die "npm is missing (Node.js 20 + npm are required)"
lock_hash="$(sha256sum package-lock.json | cut -c1-16)"
if [ -d node_modules ] && stamp_ok npm "$lock_hash"; then
    say "node_modules up to date"
else
    npm ci --no-audit --no-fund --loglevel=error </dev/null || die "npm ci failed"
    stamp_set npm "$lock_hash"
fi
npm run --silent build </dev/null || die "the front-end build failed"

step "Redis"
if "$PY" -c "import redis,os; redis.Redis.from_url(os.environ.get('REDIS_URL','redis://127.0.0.1:6379/0'), socket_timeout=2).ping()" 2>/dev/null; then
    say "answers"
else
    command -v redis-server >/dev/null || apt_install redis-server
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        --dir "$VAR_DIR" --logfile "$VAR_DIR/redis.log" >/dev/null
    for _ in $(seq 1 40); do
        "$PY" -c "import redis; redis.Redis(socket_timeout=1).ping()" 2>/dev/null && break
        sleep 0.25
    done
    "$PY" -c "import redis; redis.Redis(socket_timeout=1).ping()" 2>/dev/null || die "redis-server did not start (see $VAR_DIR/redis.log)"
    say "started redis-server on 127.0.0.1:6379"
fi

step "Docker engine"
bash scripts/ensure_docker.sh

if [ "$MODE" = "run" ]; then
    step "Database (migrate)"
    "$PY" manage.py migrate --noinput -v0 || die "migrate failed (DATABASE_URL=${DATABASE_URL:-the default SQLite file})"
    say "migrated $("$PY" -c "from codepusher.settings import DATABASES as d; print(d['default']['ENGINE'].rsplit('.',1)[-1])")"
fi

step "Runner images"
"$PY" manage.py build_runner_images || die "building the runner images failed"

if [ "$MODE" = "run" ]; then
    step "Demo challenges"
    "$PY" manage.py import_challenges challenges/packs/demo
    step "Search index"
    "$PY" manage.py update_index --remove -v0 && say "indexed"
fi

if [ "$MODE" = "test" ]; then
    step "Chromium (browser tests)"
    [ -x /usr/bin/chromium ] || apt_install chromium
    say "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium missing')"
fi

step "Setup complete"
