# Helpers the loadtests/ scripts share: each sources it (`source loadtests/lib.sh`) after changing to the repository root.

# A TCP port free on loopback now (the kernel's choice; another process could take it before it is bound again).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits up to 30 s for URL to answer anything over HTTP; exits the script when it does not.
wait_http() { for _ in $(seq 1 150); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

# User + system CPU time of process PID so far, in clock ticks (getconf CLK_TCK per second), all its threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# publish_build WORK NAME PROJECT [REV]: publishes PROJECT (a path from the repository root) in Release to WORK/NAME,
# from git revision REV checked out in a detached worktree under WORK, or from the working tree when REV is empty. The
# caller prunes the worktrees (`git worktree prune`) after removing WORK.
publish_build() {
  local work=$1 name=$2 project=$3 rev=${4:-} src
  src=$(pwd)
  if [[ -n $rev ]]; then
    src=$work/src-$name
    git worktree add -q --detach "$src" "$rev"
  fi
  dotnet publish "$src/$project" -c Release -o "$work/$name" --nologo -v q >"$work/publish-$name.log" 2>&1 \
    || { cat "$work/publish-$name.log" >&2; exit 1; }
}
