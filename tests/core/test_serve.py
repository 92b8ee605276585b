"""scenes.pages.serve: an output folder over HTTP with byte ranges (a video seeks), checked with urllib against
the file's own bytes; the browser's side is tests/video/test_classpage.py."""

import threading
import urllib.error
import urllib.request

import pytest

from scenes.pages.serve import main, server, span


@pytest.mark.parametrize(
    "header, want",
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=90-", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=95-200", (95, 99)),
        ("bytes=100-", None),
        ("bytes=-0", None),
        ("bytes=5-2", (0, 99)),  # not a range: the whole file
        ("bytes=0-1,5-6", (0, 99)),  # several ranges are not served apart
        ("lines=1-2", (0, 99)),
    ],
)
def test_a_range_header_asks_for_these_bytes(header, want):
    assert span(header, 100) == want


@pytest.fixture
def served(tmp_path):
    """A folder with a 100 000-byte file (and a secret beside the folder), served on a free port: (base
    address, the file's bytes)."""
    data = bytes(range(256)) * 390 + bytes(160)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "video.mp4").write_bytes(data)
    (tmp_path / "secret.txt").write_text("not served")
    httpd = server(tmp_path / "out", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", data
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, header: str | None = None):
    request = urllib.request.Request(url, headers={"Range": header} if header else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, dict(answer.headers), answer.read()


def test_the_server_sends_the_bytes_asked_for(served):
    base, data = served
    status, headers, body = fetch(f"{base}/video.mp4")
    assert (status, body, headers["Accept-Ranges"]) == (200, data, "bytes")
    status, headers, body = fetch(f"{base}/video.mp4", "bytes=70000-70099")
    assert (status, body, headers["Content-Range"]) == (206, data[70000:70100], "bytes 70000-70099/100000")
    assert headers["Content-Type"] == "video/mp4" and headers["Content-Length"] == "100"
    assert fetch(f"{base}/video.mp4", "bytes=-5")[2] == data[-5:]
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(f"{base}/video.mp4", "bytes=100000-")
    assert refused.value.code == 416 and refused.value.headers["Content-Range"] == "bytes */100000"
    for outside in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"):  # nothing beside the folder
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(base + outside, "bytes=0-1")
        assert refused.value.code == 404


def test_a_folder_that_is_not_there_is_one_line_and_status_2(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere")]) == 2
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and said[0].startswith("Error:") and "nowhere" in said[0]
