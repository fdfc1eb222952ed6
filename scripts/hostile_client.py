#!/usr/bin/python3
"""Hostile traffic against `blnk serve`, for scripts/serve-hostile-soak.sh (stdlib only).

  hostile_client.py --port N [--host H] [--duration S] [--hold S] --png FILE
                    [--corpus DIR] [--summary FILE] [--mixers N] [--pause S] [--seed N]
                    [--only A,B | --without A,B]   (quick attacks by name: corrupt_image, ...)
  hostile_client.py --make-png OUT [--mnist t10k-images-idx3-ubyte.gz]

For --duration seconds, --mixers threads loop over quick attacks (random garbage, mutated
requests, truncated heads and uploads, truncated and corrupt images, bad multipart bodies,
oversize URIs and headers, bad framing, resets mid-request), sleeping --pause seconds between
two, while other threads keep slow connections open: slowloris heads trickled a byte a second
(on fresh connections and after one good request), idle connections that never send (and
ones idle after one good request), stalled uploads (up to half a body, then nothing), and a client
that pipelines page requests and never reads its answers.

Then the hold: no new connections, nothing more sent, every slow connection kept open for up
to --hold seconds, so that only the server's timeouts can close them; the hold ends early
when the server has closed them all.

Every attempt ends in one outcome: the status of the first answer ("400", "408", ...),
"closed" (the server closed without answering), "reset", "dropped" (we hung up on purpose
without waiting), "no-answer" (nothing within --answer-timeout: a hang), "refused" or
"connect-error". Counts by attack and outcome go to --summary as JSON and to stdout.
"Unexpected" counts what should never happen: no-answer, refused, connect-error, 500, 502,
504, and slow connections the server still held at the end of the hold.
"""
import argparse
import collections
import json
import os
import random
import select
import socket
import struct
import sys
import threading
import time
import zlib

ANSWER_TIMEOUT = 70.0  # longer than the server's body timeout (60 s) plus its linger (2 s)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.defaultdict(collections.Counter)
        self.lifetimes = collections.defaultdict(list)  # attack -> seconds until the server closed

    def add(self, attack, outcome, lifetime=None):
        with self.lock:
            self.counts[attack][outcome] += 1
            if lifetime is not None:
                self.lifetimes[attack].append(lifetime)


def status_of(data):
    """'400' from b'HTTP/1.1 400 Bad Request...', or None."""
    if data.startswith(b"HTTP/1.") and len(data) >= 12 and data[8:9] == b" ":
        code = data[9:12]
        if code.isdigit():
            return code.decode()
    return None


def read_answer(sock, timeout):
    """Reads until the first status line is in, the server closes, or `timeout`; returns the outcome."""
    data = b""
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return status_of(data) or "no-answer"
            sock.settimeout(remaining)
            chunk = sock.recv(65536)
            if not chunk:
                return status_of(data) or ("closed" if not data else "garbled")
            data += chunk
            # skip a "100 Continue" interim answer
            while data.startswith(b"HTTP/1.1 100 ") and b"\r\n\r\n" in data:
                data = data.split(b"\r\n\r\n", 1)[1]
            if b"\r\n" in data and status_of(data):
                return status_of(data)
            if len(data) > 16 and not data.startswith(b"HTTP/1.1 100") and status_of(data) is None:
                return "garbled"
    except socket.timeout:
        return status_of(data) or "no-answer"
    except (ConnectionResetError, BrokenPipeError):
        return status_of(data) or "reset"
    except OSError:
        return status_of(data) or "reset"


def send_all(sock, data):
    """Sends what it can; False if the server closed or reset first (then read its answer)."""
    try:
        sock.settimeout(ANSWER_TIMEOUT)
        sock.sendall(data)
        return True
    except OSError:
        return False


def hard_close(sock):
    """Close with a reset (SO_LINGER 0) instead of a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def png_of(width, height, pixels, corrupt_crc=False):
    def chunk(kind, data):
        crc = zlib.crc32(kind + data) ^ (0xDEADBEEF if corrupt_crc else 0)
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", crc & 0xFFFFFFFF)
    rows = b"".join(b"\0" + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


class Hostile:
    def __init__(self, args):
        self.args = args
        self.addr = (args.host, args.port)
        self.tally = Tally()
        self.stop = threading.Event()      # the attack phase is over
        self.release = threading.Event()   # the hold is over: close everything
        self.held_lock = threading.Lock()
        self.held = {}                     # socket -> (attack, opened at): slow connections
        with open(args.png, "rb") as f:
            self.png = f.read()
        self.images = [self.png]
        if args.corpus and os.path.isdir(args.corpus):
            for name in sorted(os.listdir(args.corpus)):
                path = os.path.join(args.corpus, name)
                if os.path.isfile(path) and os.path.getsize(path) <= 65536:
                    with open(path, "rb") as f:
                        self.images.append(f.read())
        self.host_header = "%s:%d" % self.addr

    # --- helpers ----------------------------------------------------------------------------
    def connect(self, attack, rcvbuf=None):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(5)
        try:
            s.connect(self.addr)
        except ConnectionRefusedError:
            s.close()
            self.tally.add(attack, "refused")
            return None
        except OSError:
            s.close()
            self.tally.add(attack, "connect-error")
            return None
        return s

    def request(self, method, target, headers=(), body=b"", content_length=None, close=True):
        lines = ["%s %s HTTP/1.1" % (method, target), "Host: " + self.host_header]
        lines += list(headers)
        if body or content_length is not None:
            lines.append("Content-Length: %d" % (len(body) if content_length is None else content_length))
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    def post_image(self, body, content_type="image/png", content_length=None):
        return self.request("POST", "/predict", ["Content-Type: " + content_type], body, content_length)

    def exchange(self, attack, data, shut=False):
        """Connect, send `data` (then half-close with `shut`), record the answer."""
        s = self.connect(attack)
        if s is None:
            return
        try:
            send_all(s, data)
            if shut:
                try:
                    s.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            self.tally.add(attack, read_answer(s, self.args.answer_timeout))
        finally:
            s.close()

    def mutate(self, data, rng):
        data = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            op = rng.random()
            if not data:
                break
            i = rng.randrange(len(data))
            if op < 0.5:
                data[i] = rng.randrange(256)
            elif op < 0.7:
                del data[i:i + rng.randint(1, 16)]
            elif op < 0.9:
                data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
            else:
                data[i:i] = data[i:i + rng.randint(1, 64)] * rng.randint(2, 50)
        return bytes(data)

    # --- quick attacks: one connection each ----------------------------------------------------------
    def a_garbage(self, rng):
        """Random bytes, then half-close."""
        n = rng.choice([1, 16, 200, 4096, 20000])
        self.exchange("garbage", os.urandom(rng.randint(1, n)), shut=True)

    def a_garbage_open(self, rng):
        """Random bytes on a connection left open: the server must decide on its own."""
        self.exchange("garbage-open", os.urandom(rng.randint(1, 4096)))

    def a_text_garbage(self, rng):
        """Printable noise that looks almost like a request line."""
        words = [b"GET", b"POST", b"/", b"/predict", b"HTTP/1.1", b"Host:", b"\r\n", b" ", b":", b"x" * 40]
        data = b"".join(rng.choice(words) for _ in range(rng.randint(1, 60)))
        self.exchange("text-garbage", data, shut=rng.random() < 0.5)

    def a_mutated_request(self, rng):
        """A valid request (GET, raw PNG, multipart, chunked) with a few random byte edits."""
        templates = [
            self.request("GET", "/healthz"),
            self.post_image(self.png),
            self.multipart(self.png),
            self.chunked(self.png),
        ]
        self.exchange("mutated-request", self.mutate(rng.choice(templates), rng), shut=rng.random() < 0.3)

    def a_truncated_head(self, rng):
        """A prefix of a valid head, then half-close: the server should just close."""
        head = self.request("GET", "/healthz", ["Accept: */*", "User-Agent: hostile"])
        self.exchange("truncated-head", head[:rng.randint(1, len(head) - 4)], shut=True)

    def a_truncated_upload(self, rng):
        """Content-Length promises more than is sent; then half-close (and wait) or hang up."""
        promised = rng.choice([1000, 50000, 1 << 20, 10 << 20])
        body = (self.png * (promised // len(self.png) + 1))[:rng.randint(0, min(promised - 1, 65536))]
        data = self.post_image(body, content_length=promised)
        s = self.connect("truncated-upload")
        if s is None:
            return
        send_all(s, data)
        how = rng.random()
        if how < 0.4:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self.tally.add("truncated-upload", read_answer(s, self.args.answer_timeout))
            s.close()
        elif how < 0.7:
            s.close()
            self.tally.add("truncated-upload", "dropped")
        else:
            hard_close(s)
            self.tally.add("truncated-upload", "dropped")

    def a_truncated_image(self, rng):
        """A PNG (or a corpus image) cut short, sent with its true (short) length."""
        image = rng.choice(self.images)
        cut = image[:rng.randint(1, max(1, len(image) - 1))]
        self.exchange("truncated-image", self.post_image(cut, rng.choice(["image/png", "application/octet-stream"])))

    def a_corrupt_image(self, rng):
        """A PNG or corpus image with random edits, or a PNG with bad CRCs or a lying IHDR."""
        pick = rng.random()
        if pick < 0.6:
            body = self.mutate(rng.choice(self.images), rng)
        elif pick < 0.8:
            body = png_of(28, 28, os.urandom(784), corrupt_crc=True)
        else:
            body = bytearray(self.png)  # IHDR claims a huge size; IDAT is 28x28
            body[16:24] = struct.pack("!II", rng.choice([1, 28, 30000, 65535, 1 << 30]), rng.choice([1, 28, 30000]))
            body = bytes(body)
        ctype = rng.choice(["image/png", "image/jpeg", "image/bmp", "application/octet-stream", "text/plain"])
        self.exchange("corrupt-image", self.post_image(body, ctype))

    def multipart(self, image, boundary="hostileBoundary1234"):
        body = ("--%s\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"x.png\"\r\n"
                "Content-Type: image/png\r\n\r\n" % boundary).encode() + image + ("\r\n--%s--\r\n" % boundary).encode()
        return self.request("POST", "/predict", ["Content-Type: multipart/form-data; boundary=" + boundary], body)

    def chunked(self, image):
        half = len(image) // 2
        body = b"%x\r\n%s\r\n%x;ext=1\r\n%s\r\n0\r\n\r\n" % (half, image[:half], len(image) - half, image[half:])
        return ("POST /predict HTTP/1.1\r\nHost: %s\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n"
                "Connection: close\r\n\r\n" % self.host_header).encode() + body

    def a_bad_multipart(self, rng):
        """Multipart bodies truncated, without a boundary, without the field, with too many parts."""
        b = "hostileBoundary1234"
        good = self.multipart(self.png, b)
        head, body = good.split(b"\r\n\r\n", 1)
        kind = rng.randrange(5)
        if kind == 0:    # cut short (true length)
            body = body[:rng.randint(0, len(body) - 1)]
        elif kind == 1:  # other field name
            body = body.replace(b'name="upload"', b'name="other"')
        elif kind == 2:  # too many parts
            part = ("--%s\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n" % b).encode()
            body = part * 40 + body
        elif kind == 3:  # part headers without an end
            body = ("--%s\r\n" % b).encode() + b"X: " + b"y" * 9000
        else:            # random bytes between boundaries
            body = ("--%s\r\n" % b).encode() + os.urandom(rng.randint(0, 3000)) + ("\r\n--%s--\r\n" % b).encode()
        ctype = "multipart/form-data; boundary=" + b if kind != 4 or rng.random() < 0.5 else "multipart/form-data"
        self.exchange("bad-multipart", self.request("POST", "/predict", ["Content-Type: " + ctype], body))

    def a_oversize_or_bad_framing(self, rng):
        """Limits and framing: 414, 431, 413, 400, 501, 505, 417."""
        kind = rng.randrange(10)
        if kind == 0:
            data, attack = self.request("GET", "/healthz?" + "a" * 9000), "oversize-uri"
        elif kind == 1:
            data, attack = self.request("GET", "/healthz", ["X-Big: " + "b" * 9000]), "oversize-header"
        elif kind == 2:
            data, attack = self.request("GET", "/healthz", ["X-%d: v" % i for i in range(150)]), "too-many-headers"
        elif kind == 3:
            data, attack = self.post_image(b"", content_length=11 << 20), "oversize-body"
        elif kind == 4:
            data = self.request("POST", "/predict", ["Transfer-Encoding: chunked"], self.png)  # CL and TE
            attack = "bad-framing"
        elif kind == 5:
            data = ("POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    "zz\r\nabc\r\n0\r\n\r\n").encode()
            attack = "bad-framing"
        elif kind == 6:
            data, attack = b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", "bad-version"
        elif kind == 7:
            data, attack = b"X" * 30 + b" / HTTP/1.1\r\nHost: x\r\n\r\n", "long-method"
        elif kind == 8:
            data, attack = self.request("POST", "/predict", ["Expect: 200-ok"], self.png), "bad-expect"
        else:
            data = ("POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    "%x\r\n" % (11 << 20)).encode() + b"z" * 1000
            attack = "oversize-chunk"
        self.exchange(attack, data)

    def a_reset_mid_request(self, rng):
        """Half a head or half a body, then a reset."""
        data = self.post_image(self.png)
        s = self.connect("reset-mid-request")
        if s is None:
            return
        send_all(s, data[:rng.randint(1, len(data) - 1)])
        hard_close(s)
        self.tally.add("reset-mid-request", "dropped")

    QUICK = [  # (attack, weight)
        ("a_garbage", 4), ("a_garbage_open", 1), ("a_text_garbage", 2), ("a_mutated_request", 4),
        ("a_truncated_head", 2), ("a_truncated_upload", 3), ("a_truncated_image", 3), ("a_corrupt_image", 3),
        ("a_bad_multipart", 2), ("a_oversize_or_bad_framing", 3), ("a_reset_mid_request", 1),
    ]

    def mixer(self, seed):
        rng = random.Random(seed)
        names = [n for n, w in self.QUICK for _ in range(w)]
        if self.args.only:
            names = ["a_" + n for n in self.args.only.split(",")]
        if self.args.without:
            names = [n for n in names if n[2:] not in self.args.without.split(",")]
        while not self.stop.is_set():
            name = rng.choice(names)
            try:
                getattr(self, name)(rng)
            except Exception as e:  # a client bug must not end the run silently
                self.tally.add(name[2:].replace("_", "-"), "client-error:" + type(e).__name__)
            self.stop.wait(self.args.pause)

    # --- slow connections ---------------------------------------------------------------------
    def hold(self, sock, attack):
        with self.held_lock:
            self.held[sock] = (attack, time.monotonic())

    def unhold(self, sock):
        with self.held_lock:
            return self.held.pop(sock, None)

    def keep_alive_request(self, sock):
        """One good GET /healthz on a keep-alive connection; True if it was answered 200."""
        if not send_all(sock, self.request("GET", "/healthz", close=False)):
            return False
        data = b""
        sock.settimeout(5)
        try:
            while b"ok\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    return False
                data += chunk
        except OSError:
            return False
        return status_of(data) == "200"

    def slow_manager(self, attack, count, start, tick):
        """Keeps `count` slow connections of one kind open; `start(sock)` prepares one and
        returns its trickle (bytes sent one at a time per tick) or None for a silent one."""
        rng = random.Random(hash(attack))
        conns = {}  # sock -> [trickle bytes, position]
        while not self.stop.is_set():
            while len(conns) < count and not self.stop.is_set():
                s = self.connect(attack)
                if s is None:
                    self.stop.wait(1)
                    break
                try:
                    trickle = start(s, rng)
                except OSError:
                    trickle = False
                if trickle is False:
                    self.tally.add(attack, "client-setup-failed")
                    s.close()
                    continue
                conns[s] = [trickle, 0]
                self.hold(s, attack)
            # the server's answers and closes
            readable, _, _ = select.select(list(conns), [], [], 0) if conns else ([], [], [])
            for s in readable:
                outcome = read_answer(s, 1.0)
                entry = self.unhold(s)
                self.tally.add(attack, outcome, time.monotonic() - entry[1] if entry else None)
                del conns[s]
                s.close()
            for s, state in conns.items():
                trickle, pos = state
                if trickle and pos < len(trickle):
                    try:
                        s.send(trickle[pos:pos + 1], socket.MSG_DONTWAIT)
                        state[1] += 1
                    except OSError:
                        pass  # the answer or the close shows up in select
            self.stop.wait(tick)
        # the hold: hand the open ones to the hold watcher (already in self.held)

    def slowloris_start(self, s, rng):
        if rng.random() < 0.3 and not self.keep_alive_request(s):  # after one good request
            return False
        return self.request("GET", "/healthz", ["X-Slow-%d: %s" % (i, "z" * 10) for i in range(20)], close=False)

    def idle_start(self, s, rng):
        if rng.random() < 0.5 and not self.keep_alive_request(s):  # idle after one good request
            return False
        return None

    def stalled_start(self, s, rng):
        promised = rng.choice([10000, 100000, 1 << 20])
        body = (self.png * (promised // len(self.png) + 1))[:rng.randint(1, promised // 2)]
        if not send_all(s, self.post_image(body, content_length=promised)):
            return False
        return None

    def nonreader(self):
        """Pipelines page requests with a tiny receive buffer and never reads: the write timeout."""
        attack = "non-reader"
        while not self.stop.is_set():
            s = self.connect(attack, rcvbuf=4096)
            if s is None:
                self.stop.wait(1)
                continue
            opened = time.monotonic()
            burst = self.request("GET", "/", close=False) * 1000
            s.setblocking(False)
            sent = 0
            while sent < len(burst) and not self.stop.is_set():
                try:
                    sent += s.send(burst[sent:])
                except BlockingIOError:
                    self.stop.wait(0.2)
                except OSError:
                    break
            # wait, not reading, until the server gives up on us (or the phase ends)
            self.hold(s, attack)
            closed = False
            while not self.stop.is_set() and not closed:
                self.stop.wait(1)
                try:  # a peek that does not drain: MSG_PEEK of 1 byte only tells readable
                    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
                    closed = info[0] in (7, 8)  # TCP_CLOSE, TCP_CLOSE_WAIT: the server closed its side
                except OSError:
                    closed = True
            if closed:
                entry = self.unhold(s)
                # drain what was sent before the close; a reset ends it
                outcome = "closed"
                s.setblocking(True)
                s.settimeout(2)
                try:
                    while s.recv(65536):
                        pass
                except (ConnectionResetError, OSError):
                    outcome = "reset"
                self.tally.add(attack, "cut-off(" + outcome + ")", time.monotonic() - entry[1] if entry else None)
                s.close()
            else:
                pass  # stays in self.held for the hold

    def hold_watcher(self):
        """After the attack phase: watch every held connection until the server closes it, or the
        hold ends."""
        hold_start = time.monotonic()
        deadline = hold_start + self.args.hold
        time.sleep(1.5)  # the slow managers see the stop within a tick (1 s) and stop sending
        stats = {"held_at_start": 0, "closed_by_server": 0, "still_open": 0, "longest_s": 0.0}
        with self.held_lock:
            stats["held_at_start"] = len(self.held)
        while time.monotonic() < deadline:
            with self.held_lock:
                socks = list(self.held)
            if not socks:
                break
            for s in socks:
                entry = self.held.get(s)
                if entry is None:
                    continue
                attack, opened = entry
                try:
                    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
                    gone = info[0] in (7, 8)
                except OSError:
                    gone = True
                if gone:
                    self.unhold(s)
                    stats["closed_by_server"] += 1
                    stats["longest_s"] = max(stats["longest_s"], time.monotonic() - hold_start)
                    self.tally.add(attack + "(hold)", "closed-by-server", time.monotonic() - opened)
                    s.close()
            time.sleep(0.5)
        with self.held_lock:
            stats["still_open"] = len(self.held)
            for s, (attack, _) in self.held.items():
                self.tally.add(attack + "(hold)", "still-open")
                s.close()
            self.held.clear()
        stats["hold_s"] = round(time.monotonic() - hold_start, 1)
        stats["longest_s"] = round(stats["longest_s"], 1)
        return stats

    def run(self):
        threads = [threading.Thread(target=self.mixer, args=(self.args.seed + i,), daemon=True)
                   for i in range(self.args.mixers)]
        if not self.args.only:
            threads += [
                threading.Thread(target=self.slow_manager, daemon=True,
                                 args=("slowloris", self.args.slow, self.slowloris_start, 1.0)),
                threading.Thread(target=self.slow_manager, daemon=True,
                                 args=("idle", self.args.slow, self.idle_start, 0.5)),
                threading.Thread(target=self.slow_manager, daemon=True,
                                 args=("stalled-upload", self.args.stalled, self.stalled_start, 0.5)),
                threading.Thread(target=self.nonreader, daemon=True),
            ]
        started = time.monotonic()
        for t in threads:
            t.start()
        self.stop.wait(self.args.duration)
        self.stop.set()
        attack_s = time.monotonic() - started
        # The hold starts now, while the mixers finish their last attempt (which may wait
        # for the server's body timeout).
        hold = self.hold_watcher()
        for t in threads:
            t.join(max(0.0, started + attack_s + self.args.answer_timeout + 5 - time.monotonic()))
        return attack_s, hold


UNEXPECTED = {"no-answer", "refused", "connect-error", "garbled", "500", "502", "504", "still-open"}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int)
    p.add_argument("--make-png", metavar="OUT", help="only write the good PNG: MNIST test image 0 (a 7) from --mnist")
    p.add_argument("--mnist", default="../shared/data/mnist/t10k-images-idx3-ubyte.gz")
    p.add_argument("--duration", type=float, default=600)
    p.add_argument("--hold", type=float, default=90)
    p.add_argument("--png")
    p.add_argument("--corpus", default="")
    p.add_argument("--summary", default="")
    p.add_argument("--mixers", type=int, default=3)
    p.add_argument("--slow", type=int, default=20, help="slowloris and idle connections kept open, each")
    p.add_argument("--stalled", type=int, default=2, help="stalled uploads kept open")
    p.add_argument("--pause", type=float, default=0.02)
    p.add_argument("--answer-timeout", type=float, default=ANSWER_TIMEOUT)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--only", default="", help="only these quick attacks (e.g. corrupt_image,truncated_image), "
                                              "no slow connections")
    p.add_argument("--without", default="", help="leave out these quick attacks (e.g. corrupt_image)")
    args = p.parse_args()
    if args.make_png:
        import gzip
        with gzip.open(args.mnist) as f:
            f.read(16)
            pixels = f.read(784)
        with open(args.make_png, "wb") as f:
            f.write(png_of(28, 28, pixels))
        return 0
    if args.port is None or args.png is None:
        p.error("--port and --png are required")

    hostile = Hostile(args)
    attack_s, hold = hostile.run()
    counts = {a: dict(c) for a, c in sorted(hostile.tally.counts.items())}
    lifetimes = {a: [round(min(v), 1), round(max(v), 1), len(v)] for a, v in sorted(hostile.tally.lifetimes.items())}
    total = sum(sum(c.values()) for c in counts.values())
    unexpected = sum(n for c in counts.values() for o, n in c.items() if o in UNEXPECTED or o.startswith("client-"))
    by_outcome = collections.Counter()
    for c in counts.values():
        by_outcome.update(c)
    summary = {"attack_seconds": round(attack_s, 1), "attempts": total, "unexpected": unexpected,
               "by_outcome": dict(by_outcome.most_common()), "by_attack": counts,
               "server_close_seconds": lifetimes, "hold": hold}
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f, indent=1)
    print("hostile client: %d attempts in %.0f s; unexpected outcomes: %d" % (total, attack_s, unexpected))
    print("  by outcome: " + ", ".join("%s %d" % kv for kv in by_outcome.most_common()))
    for attack, c in counts.items():
        extra = ""
        if attack in lifetimes:
            lo, hi, n = lifetimes[attack]
            extra = "   (closed by the server after %.1f to %.1f s, %d)" % (lo, hi, n)
        print("  %-26s %s%s" % (attack, ", ".join("%s %d" % kv for kv in sorted(c.items())), extra))
    print("  hold: %(held_at_start)d slow connections held open, silent, after the attacks stopped; the server "
          "closed %(closed_by_server)d (the last %(longest_s).1f s into the hold), %(still_open)d still open when "
          "the hold ended (%(hold_s).1f s)" % hold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
