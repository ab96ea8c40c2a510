# awk -v key=NAME -f form.awk < BODY: prints the url-decoded value of form field NAME
# (application/x-www-form-urlencoded), escaped for use inside a JSON string. Exit 1 if the
# field is absent, 2 if it decodes to a NUL byte.
function hexval(h,   hi, lo) {
  hi = index("0123456789abcdef", tolower(substr(h, 1, 1))) - 1
  lo = index("0123456789abcdef", tolower(substr(h, 2, 1))) - 1
  return hi * 16 + lo
}
function decode(s,   out, n) {
  gsub(/\+/, " ", s)
  out = ""
  while (match(s, /%[0-9A-Fa-f][0-9A-Fa-f]/)) {
    n = hexval(substr(s, RSTART + 1, 2))
    if (n == 0) { bad = 1; exit }
    out = out substr(s, 1, RSTART - 1) sprintf("%c", n)
    s = substr(s, RSTART + 3)
  }
  return out s
}
function jsonesc(s,   out, i, c) {
  out = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\"") out = out "\\\""
    else if (c == "\\") out = out "\\\\"
    else if (c in ctl) out = out sprintf("\\u%04x", ctl[c])
    else out = out c
  }
  return out
}
BEGIN {
  RS = "&"
  for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = i
  ctl[sprintf("%c", 127)] = 127
  found = 0
}
{
  rec = $0
  sub(/\r?\n$/, "", rec)
  eq = index(rec, "=")
  if (eq == 0) { k = rec; v = "" } else { k = substr(rec, 1, eq - 1); v = substr(rec, eq + 1) }
  if (!found && decode(k) == key) { printf "%s", jsonesc(decode(v)); found = 1 }
}
END { if (bad) exit 2; exit found ? 0 : 1 }
