# The generic builder of stdenv.mkDerivation, run by busybox sh in the sandbox.
# Each phase is a shell function; a derivation attribute of the same name
# (e.g. buildPhase = "...") replaces it. Hooks preX/postX run around phase X.
set -e

PATH="$busybox/bin"
for p in $buildInputs; do
  [ -d "$p/bin" ] && PATH="$p/bin:$PATH"
  [ -d "$p/include" ] && NIX_CFLAGS_COMPILE="$NIX_CFLAGS_COMPILE -I$p/include"
  [ -d "$p/lib" ] && NIX_LDFLAGS="$NIX_LDFLAGS -L$p/lib -Wl,-rpath,$p/lib"
done
if [ -n "$hostToolchain" ]; then
  PATH="$PATH:/usr/bin:/bin"
fi
export PATH NIX_CFLAGS_COMPILE NIX_LDFLAGS
export CFLAGS="$CFLAGS $NIX_CFLAGS_COMPILE" LDFLAGS="$LDFLAGS $NIX_LDFLAGS"
export SOURCE_DATE_EPOCH=1

# runHook NAME: runs the shell code in the variable NAME, if any.
runHook() {
  eval "hook=\${$1:-}"
  [ -z "$hook" ] || eval "$hook"
}

showPhase() { echo "@ $1"; }

unpackPhase() {
  [ -n "$src" ] || return 0
  if [ -d "$src" ]; then
    cp -R "$src" source
  else
    mkdir source
    tar -xf "$src" -C source
  fi
  chmod -R u+w source
  cd source
}

patchPhase() {
  for p in $patches; do
    echo "applying patch $p"
    patch -p1 < "$p"
  done
}

configurePhase() {
  if [ -x ./configure ]; then
    ./configure --prefix="$out" $configureFlags
  fi
}

buildPhase() {
  if [ -f Makefile ] || [ -f makefile ]; then
    make -j"${NIX_BUILD_CORES:-1}" $makeFlags
  else
    echo "no Makefile: nothing to build"
  fi
}

checkPhase() {
  [ -n "$doCheck" ] || return 0
  make $makeFlags check
}

installPhase() {
  if [ -f Makefile ] || [ -f makefile ]; then
    make $makeFlags $installFlags PREFIX="$out" prefix="$out" install
  else
    mkdir -p "$out"
  fi
}

fixupPhase() {
  [ -e "$out" ] || mkdir -p "$out"
}

for step in Unpack Patch Configure Build Check Install Fixup; do
  phase=$(echo "$step" | tr 'A-Z' 'a-z' | cut -c1)$(echo "$step" | cut -c2-)Phase
  showPhase "$phase"
  runHook "pre$step"
  eval "override=\${$phase:-}"
  if [ -n "$override" ]; then
    eval "$override"
  else
    $phase
  fi
  runHook "post$step"
done
