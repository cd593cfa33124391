#!/usr/bin/env bash
# The sandbox stops builds from reaching the network, reading host secrets,
# writing outside $out and /build, seeing host processes, or leaving
# processes behind. Each check is a separate build; each must succeed with
# the builder reporting that it was blocked.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"

outpath() { "$CSTORE" show-derivation "$1" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])'; }
build_and_read() { "$CSTORE" build --no-link "$1" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; fail "build of $1 failed"; }; cat "$CSTORE_STORE$(outpath "$1")"; }

# 1. A server on the host's 127.0.0.1 is unreachable (and reachable from the host).
mkdir -p "$T/www" && echo secret-page > "$T/www/index.html"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/www" >/dev/null 2>&1 &
echo $! > "$T/http.pid"
for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
curl -s "http://127.0.0.1:$port/" | grep -q secret-page || fail "test server not reachable from the host"
d=$(mkdrv net "if echo -e 'GET / HTTP/1.0\r\n\r\n' | \$B nc -w 2 127.0.0.1 $port 2>/dev/null | \$B grep -q secret; then echo reached > \$out; else echo blocked > \$out; fi")
[[ $(build_and_read "$d") == blocked ]] || fail "the build reached a server on the host's 127.0.0.1"

# 2. Host secrets and the user's home are invisible.
d=$(mkdrv secrets "r=''; for f in /etc/shadow /etc/passwd- /root $HOME /home /var /usr; do test -e \$f && r=\"\$r \$f\"; done; echo \"seen:\$r\" > \$out")
[[ $(build_and_read "$d") == "seen:" ]] || fail "the build saw host paths: $(build_and_read "$d")"

# 2b. The store holds the input closure only: another valid path is invisible,
# and the read-only view of the whole store that inputs are bound from is gone.
echo other > "$T/other"
other=$("$CSTORE" store add "$T/other")
d=$(mkdrv closure "r=''; test -e $other && r=\"\$r other\"; test -e /.cstore-inputs && r=\"\$r view\"; \$B grep -q cstore-inputs /proc/self/mountinfo && r=\"\$r mountinfo\"; echo \"seen:\$r \$(\$B ls -A /store)\" > \$out")
[[ $(build_and_read "$d") == "seen: $(basename "$BB")" ]] || fail "the build saw more than its closure: $(build_and_read "$d")"

# 2c. One process building several derivations recycles the input mount points
# from one build to the next: each build still sees exactly its own closure.
mkdir -p "$T/dir-input" && echo d > "$T/dir-input/f" && echo a > "$T/file-a" && echo b > "$T/file-b"
fa=$("$CSTORE" store add "$T/file-a"); fb=$("$CSTORE" store add "$T/file-b"); dd=$("$CSTORE" store add "$T/dir-input")
declare -A sees=(
  [see1]="$BB $fa $dd" [see2]="$BB $fb" [see3]="$BB $fb $dd $fa" [see4]="$BB" [see5]="$BB $dd" [see6]="$BB $fa $fb")
drvs=()
for name in "${!sees[@]}"; do
  srcs=$(printf '"%s",' ${sees[$name]})
  drvs+=("$(mkdrv "$name" "l=\$(\$B ls -A /store); echo \"\$l\" > \$out; if test -d $dd && test -f $dd/f; then echo dir-ok >> \$out; fi" "{\"inputSrcs\": [${srcs%,}]}")")
done
"$CSTORE" realise -j1 "${drvs[@]}" >/dev/null 2>"$T/err" || { cat "$T/err"; fail "realising the closure checks"; }
for d in "${drvs[@]}"; do
  name=$(basename "$d" .drv); name=${name#*-}
  want=$(for p in ${sees[$name]}; do basename "$p"; done | LC_ALL=C sort)
  [[ " ${sees[$name]} " == *" $dd "* ]] && want+=$'\ndir-ok'
  [[ $(build_and_read "$d") == "$want" ]] || fail "$name saw: $(build_and_read "$d") (wanted: $want)"
done

# 3. Nothing outside \$out, /build and /tmp is writable, and nothing but \$out survives.
# (As in Nix, the builder may create other entries in the store directory, where
# it creates its outputs; they are discarded, which is checked below.)
d=$(mkdrv writes "r=''; echo junk > /store/x; for f in /x /etc/x $BB/x /proc/x /dev/x; do (echo 1 > \$f) 2>/dev/null && r=\"\$r \$f\"; done; echo 1 > /build/ok && echo 1 > /tmp/ok && echo \"wrote:\$r\" > \$out")
[[ $(build_and_read "$d") == "wrote:" ]] || fail "the build wrote outside its output: $(build_and_read "$d")"
[[ -e $CSTORE_STORE/store/x ]] && fail "a file appeared in the store"
ls -a "$CSTORE_STORE/store" | grep -q '^\.stage' && fail "staging directory left behind"

# 4. Host processes are invisible.
sleep 1300 &
echo $! > "$T/sleeper.pid"
d=$(mkdrv procs "\$B ps -o pid,args > \$out")
build_and_read "$d" | grep -q "sleep 1300" && fail "the build saw a host process"
[[ $(build_and_read "$d" | wc -l) -le 4 ]] || fail "the build saw too many processes: $(build_and_read "$d")"

# 5. A process left running by the builder dies with it.
d=$(mkdrv daemon "\$B sleep 1742 & echo started > \$out")
build_and_read "$d" >/dev/null
sleep 0.2
pgrep -f "sleep 1742$" && fail "a process outlived its build"

# 6. The builder has no capabilities and no way to gain privileges.
d=$(mkdrv caps "\$B grep -E '^(CapEff|NoNewPrivs)' /proc/self/status | \$B tr -s '\t ' ' ' > \$out")
[[ $(build_and_read "$d") == $'CapEff: 0000000000000000\nNoNewPrivs: 1' ]] || fail "capabilities: $(build_and_read "$d")"
echo ok
