# Helpers for binary cache tests: a test CA and server certificate, free
# ports, nginx serving a directory over HTTPS (with WebDAV PUT under
# /upload/), and a small Python server that misbehaves on request.
# Source after tests/lib/build.sh. Servers are stopped by the PIDs that
# build.sh's cleanup finds in $T/*.pid.
# shellcheck shell=bash

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT: waits (up to 10 s) until something accepts connections on PORT.
wait_port() {
  local i
  for ((i = 0; i < 200; i++)); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "nothing listens on port $1"
}

# make_pki DIR: a CA (DIR/ca.crt) and a certificate for localhost and 127.0.0.1 (DIR/server.{crt,key}).
make_pki() {
  local d=$1
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj "/CN=cstore test CA" -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
      -keyout server.key -out server.csr 2>/dev/null
    printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" > ext.cnf
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf \
      -out server.crt 2>/dev/null
  ) || fail "cannot make test certificates"
}

# start_nginx NAME WWW PORT PKI [HTPASSWD]: serves directory WWW on https://127.0.0.1:PORT/ and
# accepts PUT/DELETE under /upload/ (files land in WWW/upload/); with HTPASSWD, only to
# the users it names (HTTP basic authentication). PID in $T/NAME.pid.
start_nginx() {
  local name=$1 www=$2 port=$3 pki=$4 htpasswd=${5:-} w=$T/nginx-$1 auth=""
  [[ -n $htpasswd ]] && auth="auth_basic \"cache\"; auth_basic_user_file $htpasswd;"
  mkdir -p "$w/logs" "$w/tmp" "$www"
  local user=""
  [[ $(id -u) == 0 ]] && user="user root;"
  cat > "$w/nginx.conf" <<NGINX
$user
worker_processes 1;
pid $w/nginx.pid;
error_log $w/logs/error.log info;
events { worker_connections 256; }
http {
  log_format withproto '\$remote_addr "\$request" \$status \$body_bytes_sent \$server_protocol';
  access_log $w/logs/access.log withproto;
  client_body_temp_path $w/tmp/body;  proxy_temp_path $w/tmp/proxy;
  fastcgi_temp_path $w/tmp/fastcgi;   uwsgi_temp_path $w/tmp/uwsgi;  scgi_temp_path $w/tmp/scgi;
  types { text/x-nix-cache-info nix-cache-info; text/x-nix-narinfo narinfo; application/octet-stream nar zst xz; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port ssl http2;
    server_name localhost;
    ssl_certificate $pki/server.crt;
    ssl_certificate_key $pki/server.key;
    root $www;
    $auth
    location /upload/ {
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      client_max_body_size 0;
    }
  }
}
NGINX
  nginx -p "$w" -c "$w/nginx.conf" -e "$w/logs/error.log" -g 'daemon off;' > "$w/logs/stdout" 2>&1 &
  echo $! > "$T/$name.pid"
  wait_port "$port"
}

# start_flaky NAME DIR PORT MODE: a plain-HTTP server of DIR on 127.0.0.1:PORT that
# misbehaves: MODE=fail-first (each file answers 500 the first time it is asked for),
# MODE=stall (accepts, then never answers). PID in $T/NAME.pid.
start_flaky() {
  local name=$1 dir=$2 port=$3 mode=$4
  python3 - "$dir" "$port" "$mode" > "$T/$name.log" 2>&1 <<'PY' &
import http.server, os, sys, time
root, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seen = set()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        sys.stderr.write("%s %s\n" % (self.command, self.path))
    def do_GET(self):
        if mode == "stall":
            time.sleep(60)
            return
        if mode == "fail-first" and self.path not in seen:
            seen.add(self.path)
            body = b"temporarily broken"
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        path = os.path.join(root, self.path.lstrip("/"))
        if ".." in self.path or not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
  echo $! > "$T/$name.pid"
  wait_port "$port"
}

# store_snapshot: the file names in the store and the valid paths, to compare before and after.
store_snapshot() {
  { ls -a "$CSTORE_STORE/store" 2>/dev/null
    sqlite3 "$CSTORE_STORE/var/cstore/db.sqlite" 'select path from ValidPaths order by path' 2>/dev/null; } | tr '\n' ' '
}
