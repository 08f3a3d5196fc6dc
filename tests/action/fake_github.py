#!/usr/bin/env python3
"""A stand-in for the part of GitHub's REST API that the action uses (a pull request's issue
comments and the token's identity), on 127.0.0.1, so the action's comment step runs for real.

Tokens behave as GitHub's do:
  actions-token    the Actions token with pull-requests: write. GET /user is refused (403,
                   "Resource not accessible by integration"); what it posts is by
                   github-actions[bot].
  read-only-token  the Actions token of a fork's pull request: it reads, a write is 403.
  pat-token        a personal token of the user octo-ci: GET /user answers its login.
Anything else is 401.

Usage: fake_github.py STATE_FILE PORT_FILE [SEED_FILE]. SEED_FILE (JSON) gives the comments
already there ({"comments": [{"id", "user": {"login"}, "body"}]}). Writes the port to PORT_FILE
and the comments and requests served to STATE_FILE after every request. It stops after five
minutes whatever happens, so a test that dies cannot leave it running.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

TOKENS = {
    "actions-token": {"login": "github-actions[bot]", "write": True, "user": False},
    "read-only-token": {"login": "github-actions[bot]", "write": False, "user": False},
    "pat-token": {"login": "octo-ci", "write": True, "user": True},
}
state_file, port_file = sys.argv[1], sys.argv[2]
state = {"comments": [], "requests": []}
if len(sys.argv) > 3:
    state["comments"] = json.load(open(sys.argv[3]))["comments"]
COMMENTS = "/repos/acme/driver/issues/7/comments"


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
        save()

    def token(self):
        state["requests"].append({"method": self.command, "path": self.path,
                                  "auth": self.headers.get("Authorization", "")})
        auth = self.headers.get("Authorization", "")
        return TOKENS.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None

    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")

    def do_GET(self):
        who = self.token()
        path = self.path.split("?")[0]
        if who is None:
            self.reply(401, {"message": "Bad credentials"})
        elif path == "/user":
            if who["user"]:
                self.reply(200, {"login": who["login"]})
            else:
                self.reply(403, {"message": "Resource not accessible by integration"})
        elif path == COMMENTS:
            self.reply(200, state["comments"])
        else:
            self.reply(404, {"message": "Not Found"})

    def do_POST(self):
        who = self.token()
        if who is None:
            self.reply(401, {"message": "Bad credentials"})
        elif not who["write"]:
            self.reply(403, {"message": "Resource not accessible by integration"})
        elif self.path == COMMENTS:
            comment = {"id": 1000 + len(state["comments"]), "user": {"login": who["login"]},
                       "body": self.body()["body"]}
            state["comments"].append(comment)
            self.reply(201, comment)
        else:
            self.reply(404, {"message": "Not Found"})

    def do_PATCH(self):
        who = self.token()
        if who is None:
            return self.reply(401, {"message": "Bad credentials"})
        for c in state["comments"]:
            if self.path == f"/repos/acme/driver/issues/comments/{c['id']}":
                if not who["write"]:
                    return self.reply(403, {"message": "Resource not accessible by integration"})
                c["body"] = self.body()["body"]
                return self.reply(200, c)
        self.reply(404, {"message": "Not Found"})


server = HTTPServer(("127.0.0.1", 0), Handler)
save()
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
threading.Timer(300, server.shutdown).start()
server.serve_forever()
