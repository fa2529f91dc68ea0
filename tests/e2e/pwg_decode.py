"""Reads PWG raster (image/pwg-raster, PWG 5102.4) back into pictures: the
sync word, each page's 1796-byte header (size, resolution, bits per pixel,
bytes per line) and its lines (a repeat count, then runs and literal bytes).
Only what the kiosk sends is read: 1 bit per pixel, black on white.
Several documents one after the other (jobs appended to one file) are read
as one list of pages."""
import struct


class DecodeError(ValueError):
    pass


class Page:
    def __init__(self, width, height, dpi, bits, bpl):
        self.width, self.height, self.dpi, self.bits, self.bpl = width, height, dpi, bits, bpl
        self.lines = []               # bytes of each line

    def dots(self, scale=1):
        """Rows of 0/1, every scale-th pixel of every scale-th line."""
        out = []
        for line in self.lines[::scale]:
            bits = []
            for x in range(0, self.width, scale):
                bits.append(1 if line[x // 8] & (0x80 >> (x % 8)) else 0)
            out.append(bits)
        return out


def decode(data):
    if data[:4] != b"RaS2":
        raise DecodeError("not PWG raster (sync word %r)" % data[:4])
    i, pages = 4, []
    while i < len(data):
        if data[i:i + 4] == b"RaS2":  # the next job's document, appended by the capture
            i += 4
            continue
        if i + 1796 > len(data):
            raise DecodeError("a page header cut short at offset %d" % i)
        h = data[i:i + 1796]
        i += 1796
        xdpi, ydpi = struct.unpack(">II", h[276:284])
        width, height = struct.unpack(">II", h[372:380])
        bits, bpp, bpl = struct.unpack(">III", h[384:396])
        if bpp != 1:
            raise DecodeError("%d bits per pixel: the kiosk sends 1" % bpp)
        p = Page(width, height, (xdpi, ydpi), bits, bpl)
        while len(p.lines) < height:
            if i >= len(data):
                raise DecodeError("page %d ends after %d of %d lines" % (len(pages) + 1, len(p.lines), height))
            repeat = data[i] + 1
            i += 1
            line = bytearray()
            while len(line) < bpl:
                n = data[i]
                i += 1
                if n == 128:
                    line += bytes(bpl - len(line))
                elif n < 128:
                    line += data[i:i + 1] * (n + 1)
                    i += 1
                else:
                    k = 257 - n
                    line += data[i:i + k]
                    i += k
            if len(line) != bpl:
                raise DecodeError("a line of %d bytes, not %d" % (len(line), bpl))
            p.lines += [bytes(line)] * repeat
        pages.append(p)
    return pages


def crop(rows):
    """The rows and columns holding dots, with nothing around them."""
    ys = [y for y, r in enumerate(rows) if any(r)]
    if not ys:
        return []
    xs = [x for r in rows for x, d in enumerate(r) if d]
    x0, x1 = min(xs), max(xs) + 1
    return [r[x0:x1] for r in rows[ys[0]:ys[-1] + 1]]
