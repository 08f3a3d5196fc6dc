#!/usr/bin/env python3
"""A stand-in for the part of GitHub's REST API that the action uses (a pull request's issue
comments), on 127.0.0.1, so the action's comment step runs for real in the tests.

Usage: fake_github.py STATE_FILE PORT_FILE. Writes the port it listens on to PORT_FILE and the
comments and the requests it served to STATE_FILE (JSON) after every request. It stops after
five minutes whatever happens, so a test that dies cannot leave it running.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

state = {"comments": [], "requests": []}
state_file, port_file = sys.argv[1], sys.argv[2]


def save():
    with open(state_file, "w") as f:
        json.dump(state, f)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        state["requests"].append({"method": self.command, "path": self.path,
                                  "auth": self.headers.get("Authorization", "")})

    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")

    def do_GET(self):
        self.record()
        path = self.path.split("?")[0]
        if path.startswith("/repos/acme/driver/issues/7/comments"):
            self.reply(200, state["comments"])
        else:
            self.reply(404, {"message": "Not Found"})
        save()

    def do_POST(self):
        self.record()
        if self.path == "/repos/acme/driver/issues/7/comments":
            comment = {"id": 1000 + len(state["comments"]), "body": self.body()["body"]}
            state["comments"].append(comment)
            self.reply(201, comment)
        else:
            self.reply(404, {"message": "Not Found"})
        save()

    def do_PATCH(self):
        self.record()
        for c in state["comments"]:
            if self.path == f"/repos/acme/driver/issues/comments/{c['id']}":
                c["body"] = self.body()["body"]
                self.reply(200, c)
                break
        else:
            self.reply(404, {"message": "Not Found"})
        save()


server = HTTPServer(("127.0.0.1", 0), Handler)
save()
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
threading.Timer(300, server.shutdown).start()
server.serve_forever()
