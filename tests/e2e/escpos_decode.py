"""Turns an ESC/POS byte stream back into pictures, one a cut page, so the
tests can look at a receipt and decode its QR code as a person would.

Understood: ESC @ (reset), GS v 0 (raster image), LF (one line feed), ESC d n
(n line feeds), GS V (cut) and DLE EOT n (status queries, which print
nothing). Anything else is an error that names the byte and its offset: the
kiosk must send nothing a test has not looked at. PNGs are written with zlib
and struct only.

    python3 tests/e2e/escpos_decode.py STREAM OUT-PREFIX   -> OUT-PREFIX-1.png ...
"""
import struct, sys, zlib

LINE_DOTS = 30          # a line feed at the default line spacing, in dots


class Page:
    def __init__(self):
        self.width = 0
        self.rows = []           # lists of 0/1, black = 1
        self.cut = False

    def add_blank(self, n):
        self.rows.extend([None] * n)     # width is known only at the end

    def image(self):
        w = self.width or 384
        return w, [r if r is not None else [0] * w for r in self.rows]


class DecodeError(ValueError):
    pass


def decode(data):
    """The pages of a stream: a list of Page; the last one may be uncut."""
    pages, page, i, n = [], Page(), 0, len(data)

    def need(k):
        if i + k > n:
            raise DecodeError("stream ends inside a command at offset %d" % i)

    while i < n:
        b = data[i]
        if b == 0x1B:                      # ESC
            need(2)
            c = data[i + 1]
            if c == 0x40:                  # ESC @
                i += 2
            elif c == 0x64:                # ESC d n
                need(3)
                page.add_blank(data[i + 2] * LINE_DOTS)
                i += 3
            else:
                raise DecodeError("unknown command ESC 0x%02X at offset %d" % (c, i))
        elif b == 0x1D:                    # GS
            need(2)
            c = data[i + 1]
            if c == 0x76:                  # GS v 0 m xL xH yL yH d...
                need(8)
                if data[i + 2] != 0x30:
                    raise DecodeError("GS v with 0x%02X, not '0', at offset %d" % (data[i + 2], i))
                if data[i + 3] not in (0, 48):
                    raise DecodeError("GS v 0 with scaling mode %d at offset %d" % (data[i + 3], i))
                xb = data[i + 4] | data[i + 5] << 8
                rows = data[i + 6] | data[i + 7] << 8
                need(8 + xb * rows)
                if page.width and page.width != xb * 8:
                    raise DecodeError("band of width %d after bands of %d at offset %d" % (xb * 8, page.width, i))
                page.width = xb * 8
                body = data[i + 8:i + 8 + xb * rows]
                for r in range(rows):
                    line = body[r * xb:(r + 1) * xb]
                    page.rows.append([(line[x >> 3] >> (7 - (x & 7))) & 1 for x in range(xb * 8)])
                i += 8 + xb * rows
            elif c == 0x56:                # GS V m [n]
                need(3)
                m = data[i + 2]
                if m in (0, 1, 48, 49):
                    i += 3
                elif m in (65, 66):
                    need(4)
                    page.add_blank(data[i + 3])
                    i += 4
                else:
                    raise DecodeError("GS V with mode %d at offset %d" % (m, i))
                page.cut = True
                pages.append(page)
                page = Page()
            else:
                raise DecodeError("unknown command GS 0x%02X at offset %d" % (c, i))
        elif b == 0x10:                    # DLE EOT n
            need(3)
            if data[i + 1] != 0x04 or data[i + 2] not in (1, 2, 3, 4):
                raise DecodeError("unknown DLE command at offset %d" % i)
            i += 3
        elif b == 0x0A:                    # LF
            page.add_blank(LINE_DOTS)
            i += 1
        else:
            raise DecodeError("unexpected byte 0x%02X at offset %d (text is never sent: only pictures)" % (b, i))
    if page.rows:
        pages.append(page)
    return pages


def write_png(path, width, rows):
    """8-bit greyscale PNG: black dots black on white paper."""
    raw = b"".join(b"\x00" + bytes(0 if d else 255 for d in r) for r in rows)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(rows), 8, 0, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def write_page(page, path, border=0):
    """Writes a page, with a white border (zbarimg wants a quiet edge)."""
    w, rows = page.image()
    blank = [0] * (w + 2 * border)
    out = [blank] * border + [[0] * border + r + [0] * border for r in rows] + [blank] * border
    write_png(path, w + 2 * border, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        pages = decode(f.read())
    for k, p in enumerate(pages, 1):
        write_page(p, "%s-%d.png" % (sys.argv[2], k), border=16)
        print("%s-%d.png: %d x %d%s" % (sys.argv[2], k, p.image()[0], len(p.rows), "" if p.cut else " (not cut)"))
