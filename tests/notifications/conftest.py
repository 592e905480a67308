"""A real HTTP receiver on 127.0.0.1 standing in for the DingTalk and WeCom robot endpoints: it records every
request (path, query, headers, JSON body) and answers what the test asks for."""

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Received:
    path: str
    raw_query: str
    query: dict
    headers: dict
    body: dict


@dataclass
class Receiver:
    url: str
    requests: list = field(default_factory=list)
    status: int = 200
    reply: dict = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})

    def answer(self, status: int, reply: dict):
        self.status, self.reply = status, reply


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            receiver.requests.append(
                Received(
                    path=parts.path,
                    raw_query=parts.query,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers),
                    body=json.loads(raw.decode("utf-8")),
                )
            )
            data = json.dumps(receiver.reply).encode()
            self.send_response(receiver.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # keep the test output quiet
            pass

    return Handler


@pytest.fixture
def receiver():
    holder = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield holder
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port_url():
    """An address nothing listens on: the port was free a moment ago and is closed again."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def robots_off(settings):
    settings.DINGTALK_WEBHOOK = ""
    settings.DINGTALK_SECRET = ""
    settings.WECOM_WEBHOOK = ""
    return settings
