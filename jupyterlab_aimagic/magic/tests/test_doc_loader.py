"""The kernel's doc loader: files under the root only, URLs with the server's limits, text only."""

from __future__ import annotations

import http.server
import threading

import pytest

from jupyterlab_aimagic.magic.doc_loader import MAX_BYTES, kernel_doc_loader


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        routes = {
            "/guide.md": (200, "text/markdown", b"# Guide\nText."),
            "/image.png": (200, "image/png", b"\x89PNG"),
            "/big.txt": (200, "text/plain", b"x" * (MAX_BYTES + 10)),
            "/moved": (302, "text/plain", b""),
        }
        status, kind, body = routes.get(self.path, (404, "text/plain", b"missing"))
        self.send_response(status)
        self.send_header("content-type", kind)
        if status == 302:
            self.send_header("location", "/guide.md")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_urls(server, tmp_path):
    loader = kernel_doc_loader(tmp_path)
    assert loader.fetch_url(f"{server}/guide.md", False).text == "# Guide\nText."
    assert loader.fetch_url(f"{server}/moved", False).text == "# Guide\nText."
    for path, words in [("/image.png", "not text (image/png)"), ("/big.txt", "too large"), ("/nope", "answered 404")]:
        with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
            loader.fetch_url(f"{server}{path}", False)


def test_files(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("A doc")
    (tmp_path / "bin.dat").write_bytes(b"\xff\xfe\x00")
    loader = kernel_doc_loader(tmp_path / "docs")
    assert loader.read_file("a.md").text == "A doc"
    with pytest.raises(ValueError, match="no such file"):
        loader.read_file("b.md")
    with pytest.raises(ValueError, match="outside the root"):
        loader.read_file("../bin.dat")
