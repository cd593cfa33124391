# OCI images composed from closures by the builtin builder `builtin:oci-image`.
#
#   image {
#     name = "web"; tag = "1.0";
#     contents = [ nginx ];                                   # their closure goes in; bin/ links in /bin
#     files = [ { source = ./nginx.conf; target = "/etc/nginx/nginx.conf"; mode = "0644"; } ];
#     config = { Entrypoint = [ "${nginx}/bin/nginx" ]; ExposedPorts = { "80/tcp" = { }; }; };
#   }
{ system, lib }:
{
  image =
    { name
    , tag ? "latest"
    , contents ? [ ]
    , files ? [ ]
    , config ? { }
    , architecture ? "amd64"
    , os ? "linux"
    , maxLayers ? 100
    , created ? "1970-01-01T00:00:01Z"
    , compression ? "gzip"
    }:
    derivation {
      name = "${name}-image";
      inherit system;
      builder = "builtin:oci-image";
      imageSpec = builtins.toJSON {
        inherit name tag architecture os maxLayers created compression config;
        contents = map (c: "${c}") contents;
        files = map (f: { source = "${f.source}"; target = f.target; mode = f.mode or ""; }) files;
      };
    };

  # A multi-platform image: one index over images built for several architectures.
  imageIndex = { name, tag ? "latest", images }:
    derivation {
      name = "${name}-index";
      inherit system;
      builder = "builtin:oci-image";
      imageIndex = builtins.toJSON { inherit tag; images = map (i: "${i}") images; };
    };
}
