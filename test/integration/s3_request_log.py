#!/usr/bin/env python3
"""Forwards HTTP requests to an S3-compatible server and logs "METHOD PATH" of each, one a line.

s3rver's own log names neither method nor key, so tests that count the requests Floe sends (a
warm read must send none) put this in front of it. Usage: s3_request_log.py PORT UPSTREAM_PORT LOG
(both on 127.0.0.1); it serves until killed.
"""
import http.client
import http.server
import sys
import threading

port, upstream_port, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
log_lock = threading.Lock()
log = open(log_path, "a", encoding="utf-8")

# Hop-by-hop headers, and the body framing this proxy sets itself.
SKIPPED = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        with log_lock:
            log.write(f"{self.command} {self.path}\n")
            log.flush()
        upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
        # Host and every signed header go through unchanged, so the signature still matches.
        headers = {name: value for name, value in self.headers.items()
                   if name.lower() not in SKIPPED}
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        payload = response.read()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in SKIPPED:
                self.send_header(name, value)
        if self.command == "HEAD":
            length_header = response.getheader("Content-Length")
            self.send_header("Content-Length", length_header or "0")
        else:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        upstream.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = forward

    def log_message(self, *arguments):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Forward).serve_forever()
