# Sourced by the HTTP handlers. Each connection is one handler process (socat fork) with the
# connection on stdin/stdout; one request per connection (Connection: close).
CR=$(printf '\r')

# http_read_request: sets METHOD, TARGET, REQ_PATH, QUERY, BODY (at most 64 KiB)
http_read_request() {
  local line len=0 expect=
  IFS=' ' read -r METHOD TARGET _ || exit 0
  TARGET=${TARGET%"$CR"}
  while IFS= read -r line; do
    line=${line%"$CR"}
    [ -z "$line" ] && break
    case $line in
      [Cc]ontent-[Ll]ength:*) len=${line#*:}; len=${len# } ;;
      [Ee]xpect:*100-[Cc]ontinue*) expect=1 ;;
    esac
  done
  REQ_PATH=${TARGET%%\?*}
  case $TARGET in *\?*) QUERY=${TARGET#*\?} ;; *) QUERY= ;; esac
  BODY=
  case $len in ''|*[!0-9]*) http_reply 400 '{"error":"bad Content-Length"}' ;; esac
  [ "$len" -le 65536 ] || http_reply 413 '{"error":"body over 64 KiB"}'
  if [ "$len" -gt 0 ]; then
    [ -n "$expect" ] && printf 'HTTP/1.1 100 Continue\r\n\r\n'
    BODY=$(head -c "$len")
  fi
}

# http_reply STATUS JSON-BODY [CONTENT-TYPE]: writes the response and exits
http_reply() {
  local reason
  case $1 in
    200) reason=OK ;; 201) reason=Created ;; 400) reason='Bad Request' ;; 404) reason='Not Found' ;;
    405) reason='Method Not Allowed' ;; 413) reason='Payload Too Large' ;;
    500) reason='Internal Server Error' ;; 503) reason='Service Unavailable' ;; *) reason=Status ;;
  esac
  printf 'HTTP/1.1 %s %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s\n' \
    "$1" "$reason" "${3:-application/json}" "$(( $(printf '%s' "$2" | wc -c) + 1 ))" "$2"
  exit 0
}

# form_field NAME: the JSON-escaped value of a form field of BODY (or of QUERY), or fail
form_field() {
  printf '%s' "$BODY" | awk -v key="$1" -f /usr/lib/vmc/form.awk && return 0
  [ -n "$QUERY" ] && printf '%s' "$QUERY" | awk -v key="$1" -f /usr/lib/vmc/form.awk
}

# json_list: joins the lines of stdin (JSON values) into a JSON list
json_list() { awk 'BEGIN { printf "[" } NF { printf "%s%s", (n++ ? "," : ""), $0 } END { printf "]" }'; }

# json_str STRING: STRING as a JSON string body (escapes " \ and control characters)
json_str() { printf '%s' "$1" | awk 'BEGIN { RS = "\001" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\n/, "\\n"); gsub(/\r/, "\\r"); gsub(/\t/, "\\t"); printf "%s", $0 }'; }
