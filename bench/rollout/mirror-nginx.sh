# Sourced by shadow.sh and shadow-variants.sh: the nginx configuration a shadow run writes
# (src/Layercake/Deployment/Proxy/MirrorConfig.cs), with host paths, for nginx run on the host as the serving user.
#   mirror_nginx_conf DIR LISTEN_PORT LIVE_PORT SHADOW_PORT [SETTINGS]
# writes DIR/nginx.conf and prints its path. SETTINGS is words joined by '+' (shadow-variants.sh names them): mirror
# (mirror every request to the shadow; without it nginx only proxies), w1, aff, ma, nobuf, mto2, mto20. nginx waits for
# the mirror's answer before it reads the next request on a connection: that is a shadow's cost.
mirror_nginx_conf() {
  local dir=$1 port=$2 live=$3 shadow=$4 v="+${5:-}+" workers=auto main="" events="" location="" mirror_timeout=5s
  has() { [[ "$v" == *"+$1+"* ]]; }
  has w1 && workers=1
  has aff && main="worker_cpu_affinity auto;"
  has ma && events="multi_accept on;"
  has nobuf && location="proxy_buffering off; proxy_request_buffering off;"
  has mirror && location="$location mirror /layercake-shadow; mirror_request_body on;"
  has mto2 && mirror_timeout=2ms
  has mto20 && mirror_timeout=20ms
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<CFG
daemon off;
worker_processes $workers;
$main
pid $dir/nginx.pid;
events { worker_connections 4096; $events }
http {
  access_log off;
  client_body_temp_path $dir/client_body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  client_max_body_size 0; client_body_buffer_size 1m;
  keepalive_timeout 130s; keepalive_requests 1000000; server_tokens off;
  map \$http_x_request_id \$layercake_request_id { "~^[A-Za-z0-9._:/+=@-]{1,128}\$" \$http_x_request_id; default \$request_id; }
  upstream live { server 127.0.0.1:$live; keepalive 64; }
  upstream shadow { server 127.0.0.1:$shadow; keepalive 64; }
  proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$http_host;
  proxy_set_header X-Request-Id \$layercake_request_id; proxy_pass_header Server; proxy_pass_header Date;
  server {
    listen 127.0.0.1:$port reuseport;
    location / {
      $location proxy_read_timeout 60s; proxy_pass http://live;
      proxy_hide_header X-Model-Version; add_header X-Model-Version live always;
    }
    location = /layercake-shadow {
      internal; proxy_connect_timeout 1s; proxy_read_timeout $mirror_timeout; proxy_pass http://shadow\$request_uri;
    }
  }
}
CFG
  chown -R 65532:65532 "$dir"
  echo "$dir/nginx.conf"
}
