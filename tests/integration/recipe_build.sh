#!/usr/bin/env bash
# `cstore build` and `cstore instantiate` of recipes through the real binary:
# every function of the standard library, -A/--arg/--argstr, result links,
# sets and lists of derivations, instantiating twice, GC roots,
# show-derivation and eval of derivations.
source "$CSTORE_SRC/tests/lib/testlib.sh"
cd "$T"

# Inputs made here: a tarball with one top directory, a source tree and a patch for it.
mkdir -p tarsrc/proj-1.0/sub app
printf 'data\n' >tarsrc/proj-1.0/file.txt
printf 'y\n' >tarsrc/proj-1.0/sub/y
tar -C tarsrc -czf proj-1.0.tar.gz proj-1.0
printf 'hello\n' >app/msg.txt
cat >fix.patch <<'EOF'
--- a/msg.txt
+++ b/msg.txt
@@ -1 +1 @@
-hello
+hello, patched
EOF
cat >recipe.cbl <<'EOF'
{ greeting ? "hi" }:
let
  std = import <cstore>;
  text = std.writeText "note.txt" "${greeting} from writeText\n";
  script = std.writeShellScript "greet" "echo ${greeting} from a script";
  cmd = std.runCommand "cmd" { inherit text; } ''
    mkdir $out
    cp $text $out/note
    ${script} > $out/script-output
  '';
  other = std.runCommand "other" { } "mkdir -p $out/bin; printf '#!/bin/sh\\necho x\\n' > $out/bin/x; chmod +x $out/bin/x";
  joined = std.symlinkJoin { name = "joined"; paths = [ cmd other ]; };
  unpacked = std.unpack { src = ./proj-1.0.tar.gz; };
  app = std.stdenv.mkDerivation {
    pname = "app"; version = "1.0"; src = ./app; patches = [ ./fix.patch ];
    installPhase = "mkdir -p $out; cp msg.txt $out/";
  };
  fromTarball = std.stdenv.mkDerivation {
    pname = "tarred"; version = "1.0"; src = ./proj-1.0.tar.gz;
    installPhase = "mkdir -p $out; cp -r . $out/";
  };
  img = std.image { name = "demo"; tag = "v1"; contents = [ app joined ]; config.Cmd = [ "/bin/x" ]; };
in
{ inherit text script cmd joined unpacked app fromTarball img; }
EOF

# One attribute: built, linked, printed.
out=$(cs build recipe.cbl -A cmd 2>"$T/err") || fail "build -A cmd: $(cat "$T/err")"
[[ $out == /store/*-cmd ]] || fail "build printed '$out'"
expect_eq "$(readlink result)" "$STORE/${out#/store/}" "result link"
expect_eq "$(cat result/note)" "hi from writeText" "writeText through runCommand"
expect_eq "$(cat result/script-output)" "hi from a script" "writeShellScript ran"
scriptOut=$(cs show-derivation "$(cs instantiate recipe.cbl -A script)" | jq -r '.[].outputs.out.path')
[[ -f $STORE/$(base "$scriptOut") && -x $STORE/$(base "$scriptOut") ]] || fail "writeShellScript output is not executable"
expect_eq "$(head -1 "$STORE/$(base "$scriptOut")")" "#!$(dirname "$(dirname "$(grep -o '/store/[^ ]*-busybox/bin/sh' "$STORE/$(base "$scriptOut")")")")/bin/sh" "script interpreter"

# --argstr reaches the top-level function; both variants coexist.
hey=$(cs build recipe.cbl -A text --argstr greeting hey -o hey 2>/dev/null)
hi=$(cs build recipe.cbl -A text --arg greeting '"hi"' --no-link 2>/dev/null)
[[ $hey != "$hi" ]] || fail "--argstr did not change the derivation"
expect_eq "$(cat hey)" "hey from writeText" "--argstr"
[[ ! -e result-2 ]] || fail "--no-link made a link"

# The whole set: every derivation in it, in attribute name order.
all=$(cs build recipe.cbl -o all 2>"$T/err") || fail "build of the set: $(cat "$T/err")"
expect_eq "$(echo "$all" | sed 's|^/store/[a-z0-9]*-||' | tr '\n' ' ')" \
    "app-1.0 cmd tarred-1.0 demo-image joined greet note.txt source " "outputs of the set"
[[ -L all && -L all-8 && ! -e all-9 ]] || fail "result links all, all-2 ... all-8"
expect_eq "$(cat all/msg.txt)" "hello, patched" "mkDerivation applied the patch"
expect_eq "$(cat all-3/file.txt)" "data" "mkDerivation unpacked a tarball"
joined=$(readlink all-5)
[[ -L $joined/note && -L $joined/bin/x ]] || fail "symlinkJoin did not link both packages"
# The links name logical store paths (valid inside builds, and on a store whose root is /).
expect_eq "$(readlink "$joined/script-output")" "$out/script-output" "symlinkJoin link target"
expect_eq "$(cat all-8/file.txt) $(cat all-8/sub/y)" "data y" "unpack stripped the top directory"

# The image composes the closure; skopeo reads it.
skopeo inspect "oci:all-4:v1" >"$T/inspect.json" || fail "skopeo inspect of the image"
expect_eq "$(jq -c .Os "$T/inspect.json")" '"linux"' "image OS"
skopeo inspect --config "oci:all-4:v1" | jq -e '.config.Cmd == ["/bin/x"]' >/dev/null || fail "image Cmd"

# fetchurl (a fixed output fetched by builtin:fetchurl) of the tarball, unpacked by mkDerivation.
sha=$(sha256sum proj-1.0.tar.gz | cut -d' ' -f1)
fetched=$(cs build --no-link --argstr url "file://$T/proj-1.0.tar.gz" --argstr sha "$sha" -E '
  { url, sha }: let std = import <cstore>; in std.stdenv.mkDerivation {
    pname = "fetched"; version = "1"; src = std.fetchurl { inherit url; sha256 = sha; };
    installPhase = "mkdir $out; cp file.txt $out/"; }' 2>"$T/err") || fail "fetchurl: $(cat "$T/err")"
expect_eq "$(cat "$STORE/$(base "$fetched")/file.txt")" "data" "fetchurl + mkDerivation"
rc=0
cs build --no-link -E "(import <cstore>).fetchurl { url = \"file://$T/proj-1.0.tar.gz\"; hash = \"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"; }" \
    2>"$T/err" >/dev/null || rc=$?
expect_eq "$rc" 1 "fetchurl with a wrong hash"
grep -q "sha256-$(xxd -r -p <<<"$sha" | base64)" "$T/err" || fail "the hash mismatch names the real hash: $(cat "$T/err")"

# Instantiating again writes nothing; the .drv paths are stable.
before=$(store_entries | grep -c '\.drv$')
drvs=$(cs instantiate recipe.cbl)
expect_eq "$(echo "$drvs" | wc -l)" 8 "instantiate of the set"
expect_eq "$(store_entries | grep -c '\.drv$')" "$before" ".drv files after instantiating again"
expect_eq "$(cs instantiate recipe.cbl)" "$drvs" "same .drv paths twice"
[[ $(cs instantiate --read-only recipe.cbl) == "$drvs" ]] || fail "--read-only computes the same paths"

# Two processes instantiating the same new derivations at once (no lock files for .drv files).
cat >many.cbl <<'EOF2'
builtins.genList (i: derivation { name = "many-${toString i}"; system = "x86_64-linux"; builder = "/bin/sh";
  dep = if i == 0 then "" else "${derivation { name = "base-${toString (i / 10)}"; system = "x86_64-linux"; builder = "/bin/sh"; }}"; }) 300
EOF2
cs instantiate many.cbl >"$T/many1" 2>&1 &
cs instantiate many.cbl >"$T/many2" 2>&1
wait $! || fail "concurrent instantiate: $(cat "$T/many1")"
expect_eq "$(md5sum <"$T/many1")" "$(md5sum <"$T/many2")" "concurrent instantiations agree"
expect_eq "$(wc -l <"$T/many1")" 300 "concurrent instantiate printed"
cs store verify --all --check-contents >/dev/null 2>&1 || fail "store not consistent: $(cs store verify --all --check-contents 2>&1)"

# --add-root makes GC roots (and prints them); the .drv survives a GC.
appDrv=$(cs instantiate recipe.cbl -A app --add-root "$T/roots/app")
expect_eq "$appDrv" "$T/roots/app" "--add-root prints the root"
cs gc >/dev/null 2>&1
[[ -e $STORE/$(base "$(readlink "$T/roots/app")") ]] || fail "a rooted .drv was collected"

# show-derivation -r lists the derivation and its inputs, in Nix's shape.
appDrv=/store/$(base "$(readlink "$T/roots/app")")
cs show-derivation -r "$appDrv" >"$T/show.json"
jq -e --arg d "$appDrv" '.[$d].env.pname == "app" and (.[$d].inputDrvs | length) == 1' "$T/show.json" >/dev/null ||
    fail "show-derivation: $(head -c 400 "$T/show.json")"
expect_eq "$(jq 'keys | length' "$T/show.json")" 2 "show-derivation -r (app and busybox)"

# eval prints derivations as Nix does; their paths agree with instantiate.
expect_eq "$(cs eval --raw recipe.cbl -A app.drvPath)" "$appDrv" "eval of drvPath"
cs eval recipe.cbl -A text | grep -q '^{ PATH = <CODE>; all = <CODE>; args = <CODE>; builder = <CODE>; drvAttrs = {' || fail "eval of a derivation: $(cs eval recipe.cbl -A text)"

# -E and lists; a .drv path and a recipe in one command; --json.
json=$(cs build --json --no-link -E 'let std = import <cstore>; in [ (std.writeText "a" "a") (std.writeText "b" "b") ]' 2>/dev/null)
expect_eq "$(echo "$json" | jq -r '.[].outputs.out' | sed 's|^/store/[a-z0-9]*-||' | tr '\n' ' ')" "a b " "--json of a list"
mixed=$(cs build --no-link "$appDrv" recipe.cbl -A cmd 2>/dev/null)
expect_eq "$(echo "$mixed" | wc -l)" 2 "a .drv and a recipe"
# A set with recurseForDerivations is searched deeper; other sets are not.
cat >nested.cbl <<'EOF'
let std = import <cstore>; in
{ a = std.writeText "a" "a"; deeper = { recurseForDerivations = true; b = std.writeText "b" "b"; };
  hidden = { c = std.writeText "c" "c"; }; notADrv = 1; }
EOF
expect_eq "$(cs instantiate nested.cbl | sed 's|^/store/[a-z0-9]*-||' | tr '\n' ' ')" "a.drv b.drv " "nested sets"
# Dry run: instantiates, builds nothing.
cs build --dry-run -E '(import <cstore>).writeText "dry" "x"' 2>"$T/dry" >/dev/null
grep -q 'will be built' "$T/dry" || fail "dry run: $(cat "$T/dry")"
[[ -z $(store_entries | grep -- '-dry$') ]] || fail "dry run built"
echo "recipe build: ok"
