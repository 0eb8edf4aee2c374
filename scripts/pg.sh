#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on loopback, in a folder of its own.
#
#   bash scripts/pg.sh start   # starts it (installs Debian's postgresql when missing), prints its URL
#   bash scripts/pg.sh url     # prints the URL of the running cluster
#   bash scripts/pg.sh stop    # stops it and removes its folder
#
# The folder is $ROUNDS_PG_DIR, by default one per checkout under the temp dir (so two work trees
# do not share a cluster). Everything the cluster writes (data, socket, log) stays inside it.
# As root, initdb and pg_ctl run as the `postgres` user through runuser: the server refuses root.
# The cluster trades durability for speed (fsync off): it is for tests, never for data.
set -euo pipefail

checkout="$(cd "$(dirname "$0")/.." && pwd)"
dir="${ROUNDS_PG_DIR:-${TMPDIR:-/tmp}/rounds-pg-$(printf %s "$checkout" | cksum | cut -d' ' -f1)}"

sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo

# The directory with initdb and pg_ctl: beside /usr/local/bin/postgres, else Debian's newest.
find_bin() {
    if [ -x /usr/local/bin/postgres ]; then
        local d
        d="$(dirname "$(readlink -f /usr/local/bin/postgres)")"
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return
        fi
    fi
    local newest
    newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    [ -n "$newest" ] && [ -x "$newest/initdb" ] && echo "$newest"
}

# Runs a command as a user PostgreSQL accepts: ourselves, or `postgres` when we are root.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

url_of() {
    echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

start() {
    if [ -f "$dir/port" ] && [ -f "$dir/data/postmaster.pid" ]; then
        url_of
        return
    fi
    local bin
    bin="$(find_bin || true)"
    if [ -z "$bin" ]; then
        echo "pg.sh: PostgreSQL not found; installing Debian's postgresql" >&2
        # Only the binaries: the package would otherwise create and start a cluster of its own
        # on port 5432.
        $sudo mkdir -p /etc/postgresql-common
        [ -f /etc/postgresql-common/createcluster.conf ] ||
            echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
        $sudo apt-get update >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql >&2
        bin="$(find_bin || true)"
        [ -n "$bin" ] || { echo "pg.sh: postgresql installed but initdb not found" >&2; exit 1; }
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "pg.sh: running as root needs a 'postgres' user to run the server as (Debian's package makes one)" >&2
        exit 1
    fi
    # Only a folder this script made is ever removed (it holds the marker), never one that
    # ROUNDS_PG_DIR happens to name.
    if [ -e "$dir" ] && [ ! -e "$dir/.rounds-pg" ]; then
        echo "pg.sh: $dir exists and is not a cluster of pg.sh; set ROUNDS_PG_DIR to a new folder" >&2
        exit 1
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    touch "$dir/.rounds-pg"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    # A free port on loopback: a few random tries, each checked by connecting.
    local port tries=0
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
                -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
                start >/dev/null; then
                break
            fi
        fi
        tries=$((tries + 1))
        if [ "$tries" -ge 5 ]; then
            echo "pg.sh: the cluster did not start; its log:" >&2
            cat "$dir/postgres.log" >&2 || true
            exit 1
        fi
    done
    echo "$port" >"$dir/port"
    url_of
}

stop() {
    [ -e "$dir" ] || return 0
    if [ ! -e "$dir/.rounds-pg" ]; then
        echo "pg.sh: $dir is not a cluster of pg.sh; left as it is" >&2
        exit 1
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
        local bin
        bin="$(find_bin || true)"
        [ -n "$bin" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url)
    [ -f "$dir/port" ] || { echo "pg.sh: no cluster is running (bash scripts/pg.sh start)" >&2; exit 1; }
    url_of
    ;;
*)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
