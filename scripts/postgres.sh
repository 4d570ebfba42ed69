# Shared by test.sh and run.sh: find or install PostgreSQL, start and stop a private server.
# Source it; it defines functions only.
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

ensure_postgres() {
  pg_bindir >/dev/null && return 0
  apt_install postgresql && pg_bindir >/dev/null
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port
  for port in $(shuf -i 20000-59999 -n 50); do
    port_is_free "$port" && { echo "$port"; return 0; }
  done
  return 1
}

# Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root).
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres DATA_DIR PORT PASSWORD [extra server settings...]
start_postgres() {
  local data=$1 port=$2 password=$3; shift 3
  local bin; bin=$(pg_bindir)
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    local pwfile; pwfile=$(mktemp)
    printf '%s\n' "$password" >"$pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
    pg_as_owner "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  local opts="-k $data -p $port -c listen_addresses=127.0.0.1 -c max_connections=300"
  local setting
  for setting in "$@"; do opts="$opts -c $setting"; done
  pg_as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "$opts" start >/dev/null
}

stop_postgres() {
  local data=$1 bin
  bin=$(pg_bindir) || return 0
  [ -f "$data/postmaster.pid" ] && pg_as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1
  return 0
}

# Starts a throwaway server in a new directory $GSTD_SCRATCH, exports GSTD_TEST_PG for it, and removes both
# when the calling script exits. Server settings may be given; by default it trades durability for speed.
throwaway_postgres() {
  local settings=("$@")
  [ ${#settings[@]} -gt 0 ] || settings=(fsync=off synchronous_commit=off full_page_writes=off)
  GSTD_SCRATCH=$(mktemp -d /tmp/gstd-scratch.XXXXXX)
  chmod 755 "$GSTD_SCRATCH"
  local password port
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  port=$(free_port)
  trap 'stop_postgres "$GSTD_SCRATCH/pg"; rm -rf "$GSTD_SCRATCH"' EXIT
  trap 'exit 130' INT TERM
  start_postgres "$GSTD_SCRATCH/pg" "$port" "$password" "${settings[@]}"
  export GSTD_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Maximum Pool Size=40"
}
