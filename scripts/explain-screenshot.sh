#!/usr/bin/env bash
# Renders a page written by `charrnn explain` in headless Chromium and saves a PNG screenshot,
# then checks that the picture is not blank (the shaded text has colour in it).
#
#   scripts/explain-screenshot.sh PAGE.html OUT.png [WIDTH,HEIGHT [TOP]]
#
# The browser window is WIDTH×HEIGHT pixels (default 1200,2600); with TOP, the picture keeps
# only the rows from TOP down (Chromium's screenshot always starts at the top of the page).
#
# Installs Chromium with apt-get if it is missing (Debian: the package `chromium`; run as root).
set -euo pipefail
page=${1:?usage: $0 PAGE.html OUT.png [WIDTH,HEIGHT [TOP]]}
out=${2:?usage: $0 PAGE.html OUT.png [WIDTH,HEIGHT [TOP]]}
size=${3:-1200,2600}
top=${4:-0}
[ -f "$page" ] || { echo "explain-screenshot: no such page: $page" >&2; exit 1; }

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "installing chromium (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# no network, no first-run or background services: the page is self-contained
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" \
  --window-size="$size" --virtual-time-budget=5000 --screenshot="$(realpath -m "$out")" \
  "file://$(realpath "$page")" 2>/dev/null

python3 - "$out" "$top" <<'PY'
import sys, struct, zlib
# decode the PNG (8-bit RGB or RGBA, as Chromium writes it) with no library, keep the rows from
# TOP down, and count the distinct colours
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, w, h, ctype = 8, b'', 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
bpp = 4 if ctype == 6 else 3
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = set()
rows = []
top = int(sys.argv[2])
i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y >= top:
        rows.append(bytes(line))
        if y % 4 == 0:
            for x in range(0, stride, bpp * 4):
                colours.add(bytes(line[x:x + 3]))
    prev = line
if top > 0:
    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
    ihdr = struct.pack('>IIBBBBB', w, len(rows), 8, ctype, 0, 0, 0)
    pixels = zlib.compress(b''.join(b'\x00' + r for r in rows), 9)
    with open(sys.argv[1], 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', pixels) + chunk(b'IEND', b''))
print(f"{sys.argv[1]}: {w}x{len(rows)}, {len(colours)} distinct colours sampled")
if len(colours) < 20:
    sys.exit("the screenshot looks blank: fewer than 20 colours")
PY
