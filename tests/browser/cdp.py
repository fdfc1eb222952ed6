"""A minimal Chrome DevTools Protocol client over a hand-written WebSocket (RFC 6455).

Only the Python 3 standard library. Enough for the browser test: one connection to
the browser endpoint, commands sent to an attached page session (flat mode), events
queued until someone waits for them.

    browser = Browser.launch("/usr/bin/chromium", profile_dir, log_file)
    page = browser.new_page()                 # a Session on a fresh about:blank tab
    page.send("Page.navigate", url="http://127.0.0.1:8000/")
    page.wait_event("Page.loadEventFired")
    browser.close()
"""

import base64
import collections
import ctypes
import json
import os
import signal
import socket
import struct
import subprocess
import time
import urllib.parse

# The flags for headless Chromium in a container, as root, with nothing fetched from
# the network and nothing persistent.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",  # Chromium writes the port it picked to DevToolsActivePort
]

_WS_TEXT, _WS_BINARY, _WS_CLOSE, _WS_PING, _WS_PONG = 0x1, 0x2, 0x8, 0x9, 0xA


class CdpError(Exception):
    pass


def die_with_parent():
    """preexec_fn: the child gets SIGKILL if the test process dies, even by SIGKILL."""
    try:
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def stop_process_group(proc, grace=3.0):
    """SIGTERM the child's process group, then SIGKILL what is left after `grace` s."""
    if proc is None or proc.poll() is not None:
        return None if proc is None else proc.returncode
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return proc.wait(timeout=5)


class WebSocket:
    """A blocking client WebSocket: text messages, no extensions, no TLS."""

    def __init__(self, url, timeout=10.0):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "ws":
            raise CdpError("only ws:// URLs: " + url)
        self.sock = socket.create_connection((u.hostname, u.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + ("?" + u.query if u.query else "")
        request = (f"GET {path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise CdpError("connection closed during the WebSocket handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise CdpError("WebSocket handshake refused: " + status.decode(errors="replace"))

    def _read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise CdpError("WebSocket connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send_frame(self, opcode, payload):
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)  # clients must mask every frame
        masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def send_text(self, text):
        self._send_frame(_WS_TEXT, text.encode())

    def recv_text(self, timeout):
        """The next whole text message; raises socket.timeout after `timeout` s of silence."""
        self.sock.settimeout(timeout)
        message, opcode = b"", None
        while True:
            b0, b1 = self._read_exact(2)
            fin, op, n = b0 & 0x80, b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read_exact(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read_exact(8))[0]
            mask = self._read_exact(4) if b1 & 0x80 else None
            payload = self._read_exact(n)
            if mask:
                payload = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
            if op == _WS_PING:
                self._send_frame(_WS_PONG, payload)
                continue
            if op == _WS_PONG:
                continue
            if op == _WS_CLOSE:
                raise CdpError("WebSocket closed by the browser")
            if op != 0:
                opcode = op
            message += payload
            if fin:
                if opcode != _WS_TEXT:
                    raise CdpError("unexpected WebSocket opcode %d" % opcode)
                return message.decode()

    def close(self):
        try:
            self._send_frame(_WS_CLOSE, b"")
        except OSError:
            pass
        self.sock.close()


class Session:
    """Commands and events of one attached target (flat session)."""

    def __init__(self, conn, session_id):
        self.conn, self.session_id = conn, session_id

    def send(self, method, timeout=30.0, **params):
        return self.conn.call(method, params, self.session_id, timeout)

    def wait_event(self, method, timeout=30.0, predicate=None):
        return self.conn.wait_event(method, self.session_id, timeout, predicate)

    def drop_events(self, method):
        self.conn.drop_events(method, self.session_id)


class Browser:
    """A Chromium process and the DevTools connection to it."""

    def __init__(self, proc, ws):
        self.proc, self.ws = proc, ws
        self.next_id = 0
        self.events = collections.deque()

    @staticmethod
    def launch(chromium, profile_dir, log_path, extra_flags=(), timeout=60.0):
        log = open(log_path, "wb")
        proc = subprocess.Popen([chromium, *CHROMIUM_FLAGS, "--user-data-dir=" + profile_dir, *extra_flags,
                                 "about:blank"], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True, preexec_fn=die_with_parent)
        log.close()
        port_file = os.path.join(profile_dir, "DevToolsActivePort")
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise CdpError("chromium exited with status %d (log: %s)" % (proc.returncode, log_path))
            try:
                with open(port_file) as f:
                    lines = f.read().split("\n")
                if len(lines) >= 2 and lines[0].strip().isdigit() and lines[1].startswith("/"):
                    break
            except FileNotFoundError:
                pass
            if time.monotonic() > deadline:
                stop_process_group(proc)
                raise CdpError("chromium did not open its DevTools port within %.0f s" % timeout)
            time.sleep(0.05)
        try:
            ws = WebSocket("ws://127.0.0.1:%s%s" % (lines[0].strip(), lines[1].strip()))
        except Exception:
            stop_process_group(proc)
            raise
        return Browser(proc, ws)

    def call(self, method, params=None, session_id=None, timeout=30.0):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        self.ws.send_text(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            m = self._receive(deadline, method)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise CdpError("%s: %s" % (method, m["error"].get("message", m["error"])))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, session_id=None, timeout=30.0, predicate=None):
        def wanted(m):
            return (m.get("method") == method and m.get("sessionId") == session_id
                    and (predicate is None or predicate(m.get("params", {}))))
        for m in list(self.events):
            if wanted(m):
                self.events.remove(m)
                return m.get("params", {})
        deadline = time.monotonic() + timeout
        while True:
            m = self._receive(deadline, method)
            if wanted(m):
                return m.get("params", {})
            if "method" in m:
                self.events.append(m)

    def drop_events(self, method, session_id=None):
        self.events = collections.deque(
            m for m in self.events if not (m.get("method") == method and m.get("sessionId") == session_id))

    def _receive(self, deadline, what):
        left = deadline - time.monotonic()
        if left <= 0:
            raise CdpError("timed out waiting for " + what)
        try:
            return json.loads(self.ws.recv_text(left))
        except socket.timeout:
            raise CdpError("timed out waiting for " + what) from None

    def new_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Session(self, session)

    def close(self):
        try:
            self.call("Browser.close", timeout=3.0)
        except Exception:
            pass
        try:
            self.ws.close()
        except Exception:
            pass
        stop_process_group(self.proc)
