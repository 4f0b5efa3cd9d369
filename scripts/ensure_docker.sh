#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine, installing and starting it if needed.
#
# Idempotent: when `docker info` already works it only says so. Otherwise:
#   * if `dockerd` is missing and we are root on Debian, install docker.io (and debootstrap,
#     which build_runner_images needs) with apt-get, non-interactively;
#   * start `dockerd --bridge=none --iptables=false` in the background (runners never need a
#     network), logging to var/dockerd.log under the repository;
#   * wait until `docker info` answers, or fail with one clear line.
# Works with no stdin and CI=true. Environment: DOCKER_WAIT_SECONDS (default 60).
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR_DIR="${CODEPUSHER_VAR_DIR:-$REPO_DIR/var}"
WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"
mkdir -p "$VAR_DIR"

say() { echo "ensure_docker: $*"; }
die() { echo "ensure_docker: ERROR: $*" >&2; exit 1; }

engine_answers() { docker info >/dev/null 2>&1; }

# Serialise concurrent callers (a test session and a developer shell) so dockerd starts once.
exec 9>"$VAR_DIR/ensure_docker.lock"
if command -v flock >/dev/null 2>&1; then
    flock -w "$((WAIT_SECONDS + 600))" 9 || die "another ensure_docker.sh holds $VAR_DIR/ensure_docker.lock"
fi

if command -v docker >/dev/null 2>&1 && engine_answers; then
    say "engine answers ($(docker info --format '{{.ServerVersion}}, cgroup v{{.CgroupVersion}}, {{.Driver}}' 2>/dev/null))"
    exit 0
fi

if [ -n "${DOCKER_HOST:-}" ] && [[ "${DOCKER_HOST}" != unix://* ]]; then
    die "DOCKER_HOST=${DOCKER_HOST} does not answer; start that engine (this script only manages a local one)"
fi

is_debian() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*debian' /etc/os-release; }

if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ] || ! is_debian; then
        command -v dockerd >/dev/null 2>&1 \
            || die "dockerd is not installed and this is not root on Debian; install Docker Engine by hand"
        say "debootstrap is missing (needed only by build_runner_images); install it by hand"
    else
        say "installing docker.io and debootstrap with apt-get (this takes a minute)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq </dev/null >"$VAR_DIR/apt-docker.log" 2>&1 \
            || die "apt-get update failed, see $VAR_DIR/apt-docker.log"
        apt-get install -y -qq --no-install-recommends docker.io debootstrap \
            </dev/null >>"$VAR_DIR/apt-docker.log" 2>&1 \
            || die "apt-get install docker.io debootstrap failed, see $VAR_DIR/apt-docker.log"
        say "installed $(dockerd --version 2>/dev/null || echo dockerd)"
    fi
fi

command -v docker >/dev/null 2>&1 || die "the docker client is missing"

if ! pgrep -x dockerd >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "dockerd is not running and only root can start it"
    say "starting dockerd --bridge=none --iptables=false (log: $VAR_DIR/dockerd.log)"
    nohup dockerd --bridge=none --iptables=false --ip6tables=false \
        </dev/null >>"$VAR_DIR/dockerd.log" 2>&1 9>&- &
else
    say "dockerd is running but not answering yet; waiting"
fi

for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    if engine_answers; then
        say "engine answers ($(docker info --format '{{.ServerVersion}}, cgroup v{{.CgroupVersion}}, {{.Driver}}' 2>/dev/null))"
        exit 0
    fi
    sleep 0.5
done
die "docker engine did not answer within ${WAIT_SECONDS}s; last log lines: $(tail -n 3 "$VAR_DIR/dockerd.log" 2>/dev/null | tr '\n' ' ')"
