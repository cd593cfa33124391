# The bootstrap shell: Debian's static busybox, taken into the store as a
# content-addressed source, installed with one link per applet so that
# "${busybox}/bin/sh" works. Nothing else from the host is needed to build.
{ system }:
derivation {
  name = "busybox";
  inherit system;
  builder = "builtin:busybox";
  src = builtins.path { path = /usr/bin/busybox; name = "busybox-static"; };
}
