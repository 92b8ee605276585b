"""Serve an output folder over HTTP so that its videos seek:  python -m scenes.pages.serve [FOLDER] [--port N]

Python's own `python -m http.server` sends every file whole and ignores byte ranges, so a browser cannot seek
in a video it serves (the class page's chapters, Next beat and present mode would start at 0:00). This is
the same server with single byte ranges (RFC 9110: `Range: bytes=a-b`, `a-`, `-n`); it serves FOLDER
(default media) on 127.0.0.1 (--bind to share it) until Ctrl-C."""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 1 << 16


def span(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte a Range header asks of a file of `size` bytes (the end cut to the file);
    None when it asks for none that the file has (416); (0, size - 1) for a header that is not one range."""
    match = RANGE.fullmatch(header.strip())
    if not match or match.groups() == ("", ""):
        return 0, size - 1
    first, last = match.groups()
    if not first:  # the last n bytes
        return (max(size - int(last), 0), size - 1) if int(last) and size else None
    if last and int(last) < int(first):  # not a range: the whole file
        return 0, size - 1
    if int(first) >= size:
        return None
    return int(first), min(int(last), size - 1) if last else size - 1


class RangeHandler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler that answers a Range request on a file with 206 and those bytes."""

    left: int | None = None  # bytes still to send of a range (None: the whole file)

    def send_head(self):
        self.left = None
        path = self.translate_path(self.path)
        if "Range" not in self.headers or not os.path.isfile(path):
            return super().send_head()
        try:
            source = open(path, "rb")  # noqa: SIM115 -- do_GET copies from it and closes it
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        size = os.fstat(source.fileno()).st_size
        asked = span(self.headers["Range"], size)
        if asked is None:
            source.close()
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        first, last = asked
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        source.seek(first)
        self.left = last - first + 1
        return source

    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source, outputfile):
        """The whole file, or the range's bytes only."""
        if self.left is None:
            return super().copyfile(source, outputfile)
        while self.left > 0 and (chunk := source.read(min(CHUNK, self.left))):
            outputfile.write(chunk)
            self.left -= len(chunk)


def server(folder: Path, port: int = 8000, bind: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server of `folder` with byte ranges on bind:port (port 0: any free one), not yet serving."""
    return ThreadingHTTPServer((bind, port), functools.partial(RangeHandler, directory=str(folder)))


def main(argv: list[str]) -> int:
    """Serve the folder until Ctrl-C; a folder that is not there is one line and status 2."""
    parser = argparse.ArgumentParser(prog="python -m scenes.pages.serve", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="media", type=Path, help="the output folder (media)")
    parser.add_argument("--port", type=int, default=8000, help="the port (8000; 0: any free one)")
    parser.add_argument("--bind", default="127.0.0.1", help="the address (127.0.0.1: this computer only)")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"Error: {args.folder} is not a folder (the --output of render.py)", file=sys.stderr)
        return 2
    try:
        httpd = server(args.folder, args.port, args.bind)
    except OSError as err:
        print(f"Error: cannot serve on {args.bind}:{args.port}: {err.strerror or err}", file=sys.stderr)
        return 2
    host, port = httpd.server_address[:2]
    print(
        f"serving {args.folder} at http://{host}:{port}/ (the class page: index.html); Ctrl-C stops",
        flush=True,
    )
    with httpd:
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
