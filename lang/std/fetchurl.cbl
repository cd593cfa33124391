# fetchurl { url | urls, hash | sha256 [, name] }: a fixed-output download,
# fetched inside cstore with libcurl (https and file URLs, retries) and
# checked against the hash.
{ lib }:
{ url ? null, urls ? [ ], hash ? null, sha256 ? null, name ? null, executable ? false }:
let
  allUrls = (if url != null then [ url ] else [ ]) ++ urls;
  firstUrl = if allUrls == [ ] then throw "fetchurl needs 'url' or 'urls'" else builtins.head allUrls;
  outputHash =
    if hash != null then hash
    else if sha256 != null then sha256
    else throw "fetchurl of '${firstUrl}' needs 'hash' (an SRI hash) or 'sha256'";
in
derivation ({
  name = if name != null then name else baseNameOf firstUrl;
  system = "builtin";
  builder = "builtin:fetchurl";
  url = firstUrl;
  urls = allUrls;
  inherit outputHash executable;
  outputHashMode = if executable then "recursive" else "flat";
  # Proxies and credentials may come from the caller's environment.
  impureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" ];
} // (if hash != null then { } else { outputHashAlgo = "sha256"; }))
