# Fixed-output, flat sha256 in base16 (spec 5.9's hash).
derivation {
  name = "fod-flat"; system = "x86_64-linux"; builder = "/bin/sh";
  outputHashMode = "flat"; outputHashAlgo = "sha256";
  outputHash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
}
# ---
# Recursive, SRI, no outputHashAlgo.
derivation {
  name = "fod-rec"; system = "x86_64-linux"; builder = "/bin/sh";
  outputHashMode = "recursive";
  outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
}
# ---
# nix32 sha256, the default (flat) mode.
derivation {
  name = "fod-nix32"; system = "x86_64-linux"; builder = "/bin/sh";
  outputHashAlgo = "sha256"; outputHash = "094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic";
}
# ---
# sha1 recursive, md5 flat, sha512 with a prefix.
[
  (derivation { name = "fod-sha1"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashMode = "recursive";
    outputHashAlgo = "sha1"; outputHash = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"; })
  (derivation { name = "fod-md5"; system = "x86_64-linux"; builder = "/bin/sh";
    outputHashAlgo = "md5"; outputHash = "5d41402abc4b2a76b9719d911017c592"; })
  (derivation { name = "fod-sha512"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashMode = "recursive";
    outputHash = "sha512:${builtins.hashString "sha512" "hello"}"; })
]
# ---
# Two fixed-output derivations with the same hash and name are interchangeable inputs.
let
  a = derivation { name = "same"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashAlgo = "sha256";
    outputHash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"; how = "one way"; };
  b = derivation { name = "same"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashAlgo = "sha256";
    outputHash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"; how = "another"; };
in [
  (derivation { name = "user"; system = "x86_64-linux"; builder = "/bin/sh"; src = a; })
  (derivation { name = "user"; system = "x86_64-linux"; builder = "/bin/sh"; src = b; })
]
# ---
# A fixed output with impureEnvVars, using an input-addressed derivation.
let tool = derivation { name = "tool"; system = "x86_64-linux"; builder = "/bin/sh"; }; in
derivation {
  name = "fetched"; system = "x86_64-linux"; builder = "${tool}/bin/fetch";
  impureEnvVars = [ "http_proxy" ];
  outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
}
