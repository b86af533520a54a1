#!/usr/bin/env python3
"""A loopback SMTP peer for the SMTP tests, built on aiosmtpd.

Prints "PORT <n>" on stdout once listening, then serves until stdin closes or SIGTERM.
Each accepted message is saved byte-exact (after SMTP dot-unstuffing) as NNNN.eml in --dir,
with NNNN.json holding the envelope and the id of the connection it arrived on.
connections.log gets one line per accepted TCP connection; closed.log one line per closed
connection: its id and "idle" (closed by the peer's idle timeout) or "other".

Behaviour is chosen per recipient by its local part (e.g. tempfail@example.org):
  tempfail    451 at RCPT            reject      550 at RCPT
  droprcpt    close at RCPT          dropmidbody close after reading a few body lines
  dropdata    close after the body, no reply (message not saved)
  datatempfail 451 after the body    datareject  554 after the body
  slowdata    save, then wait --delay seconds before the 250 (with --hold-until NAME: write
              "holding" in --dir, then wait until the file NAME appears there, at most 60 s)
and globally: --tempfail-every N (451 after the body of every Nth message),
--idle-timeout S (close idle connections), --idle-421 (send 421 before that close), --auth USER:PASS (require AUTH).
TLS: --tls-cert PEM --tls-key PEM offers STARTTLS and requires it before MAIL and AUTH; with --smtps the
listener speaks implicit TLS instead. --wire FILE puts a recording proxy in front of the server: the
announced port is the proxy's, and FILE gets every byte the client sent, exactly as it went over TCP.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import stat
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class PeerSMTP(SMTP):
    counter = 0

    def __init__(self, handler, options, **kwargs):
        super().__init__(handler, **kwargs)
        self.options = options
        PeerSMTP.counter += 1
        self.conn_id = PeerSMTP.counter
        with open(os.path.join(options.dir, "connections.log"), "a") as log:
            log.write(f"{self.conn_id}\n")

    def _timeout_cb(self):
        self.idle_closed = True
        if self.options.idle_421 and self.transport is not None:
            self.transport.write(b"421 4.4.2 Idle timeout, closing\r\n")
        super()._timeout_cb()

    def connection_lost(self, exc):
        with open(os.path.join(self.options.dir, "closed.log"), "a") as log:
            log.write(f"{self.conn_id} {'idle' if getattr(self, 'idle_closed', False) else 'other'}\n")
        super().connection_lost(exc)

    async def smtp_DATA(self, arg):
        if any(r.split("@")[0] == "dropmidbody" for r in self.envelope.rcpt_tos):
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            for _ in range(3):
                await self._reader.readline()
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class Handler:
    def __init__(self, options):
        self.options = options
        self.messages = 0
        self.saved = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        address_local = address.split("@")[0]
        if address_local == "droprcpt":
            server.transport.close()
            return "421 4.4.2 closing"
        if address_local == "tempfail":
            return "451 4.3.0 Temporary failure, try again later"
        if address_local == "reject":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    def save(self, server, envelope):
        self.saved += 1
        stem = os.path.join(self.options.dir, f"{self.saved:04d}")
        with open(stem + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(stem + ".json", "w") as f:
            json.dump({"mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos,
                       "connection": server.conn_id}, f)
        os.rename(stem + ".eml.tmp", stem + ".eml")
        return self.saved

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        rcpts = [r.split("@")[0] for r in envelope.rcpt_tos]
        every = self.options.tempfail_every
        if every and self.messages % every == 0:
            return "451 4.3.0 Every Nth message is deferred"
        if "dropdata" in rcpts:
            server.transport.close()
            return "421 4.4.2 closing"
        if "datatempfail" in rcpts:
            return "451 4.7.1 Greylisted, try again later"
        if "datareject" in rcpts:
            return "554 5.7.1 Message rejected"
        number = self.save(server, envelope)
        if "slowdata" in rcpts and self.options.hold_until:
            # A condition instead of a time: the test decides when the 250 goes out.
            release = os.path.join(self.options.dir, self.options.hold_until)
            # The idle timer sleeps while we hold the reply (the client is waiting on us, not idle);
            # it starts again from the 250. Without this a loaded machine's slow release made the
            # idle close land mid-reply: an unknown outcome instead of the idle close under test.
            server._reset_timeout(3600)
            with open(os.path.join(self.options.dir, "holding"), "w") as marker:
                marker.write(f"{number}\n")
            for _ in range(6000):
                if os.path.exists(release):
                    break
                await asyncio.sleep(0.01)
            server._reset_timeout()
        elif "slowdata" in rcpts:
            await asyncio.sleep(self.options.delay)
        return f"250 2.0.0 Ok: queued as Q{number:04d}"


async def start_recording_proxy(options, target):
    """Listens on --port, forwards each connection to the server on `target` and appends every
    byte the client sends to the --wire file (the raw TCP stream: TLS records once TLS is up)."""
    wire = open(options.wire, "ab", buffering=0)

    async def pipe(reader, writer, record):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if record:
                    wire.write(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def client(reader, writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target)
        except ConnectionError:
            writer.close()
            return
        await asyncio.gather(pipe(reader, upstream_writer, True), pipe(upstream_reader, writer, False))

    proxy = await asyncio.start_server(client, host="127.0.0.1", port=options.port)
    return proxy.sockets[0].getsockname()[1]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tempfail-every", type=int, default=0)
    parser.add_argument("--delay", type=float, default=3.0)
    parser.add_argument("--idle-timeout", type=float, default=300.0)
    parser.add_argument("--idle-421", action="store_true")
    parser.add_argument("--hold-until", help="file name in --dir whose appearance releases a slowdata 250")
    parser.add_argument("--auth", help="USER:PASS; AUTH becomes required (plain text allowed without TLS)")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--smtps", action="store_true")
    parser.add_argument("--wire")
    options = parser.parse_args()
    os.makedirs(options.dir, exist_ok=True)
    handler = Handler(options)
    loop = asyncio.get_running_loop()
    auth = {}
    if options.auth:
        user, _, password = options.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok)

        auth = dict(authenticator=authenticator, auth_required=True, auth_require_tls=bool(options.tls_cert) and not options.smtps)
    context = None
    if options.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls_cert, options.tls_key)
    tls = {}
    if context is not None and not options.smtps:
        tls = dict(tls_context=context, require_starttls=True)
    server = await loop.create_server(
        lambda: PeerSMTP(handler, options, decode_data=False, timeout=options.idle_timeout,
                         hostname="peer.test", ident="invoice test peer", **auth, **tls),
        host="127.0.0.1", port=0 if options.wire else options.port,
        ssl=context if options.smtps else None)
    port = server.sockets[0].getsockname()[1]
    if options.wire:
        port = await start_recording_proxy(options, port)
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
        # The Swift launcher holds the pipe open; its closing (or the test process dying) stops us.
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not os.read(sys.stdin.fileno(), 4096) else None)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
