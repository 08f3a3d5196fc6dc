#!/usr/bin/env python3
"""Posts FILE as the ksframe comment of a pull request, or updates the one posted before.

The comment is recognised by its first line, the marker <!-- ksframe-action -->, so a pull
request carries one ksframe comment however often CI runs. Uses GITHUB_API_URL,
GITHUB_REPOSITORY, GITHUB_TOKEN and PR_NUMBER from the environment (the REST API's issue
comments: a pull request is an issue). Exits 1 with a message when the API refuses.
"""
import json
import os
import sys
import urllib.error
import urllib.request

MARKER = "<!-- ksframe-action -->"
LIMIT = 65536  # GitHub refuses longer comment bodies


def call(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("Authorization", "Bearer " + os.environ.get("GITHUB_TOKEN", ""))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def existing_comment(api, repo, pr):
    page = 1
    while True:
        comments = call("GET", f"{api}/repos/{repo}/issues/{pr}/comments?per_page=100&page={page}")
        for c in comments:
            if c.get("body", "").startswith(MARKER):
                return c["id"]
        if len(comments) < 100:
            return None
        page += 1


def main():
    body = open(sys.argv[1], encoding="utf-8").read()
    if len(body) > LIMIT:
        note = "\n\n_The report was cut to fit a comment; the whole report is in the workflow's artifacts._\n"
        body = body[: LIMIT - len(note)] + note
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo, pr = os.environ["GITHUB_REPOSITORY"], os.environ["PR_NUMBER"]
    try:
        cid = existing_comment(api, repo, pr)
        if cid is None:
            call("POST", f"{api}/repos/{repo}/issues/{pr}/comments", {"body": body})
            print(f"ksframe: commented on pull request #{pr}")
        else:
            call("PATCH", f"{api}/repos/{repo}/issues/comments/{cid}", {"body": body})
            print(f"ksframe: updated the comment on pull request #{pr}")
    except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
        print(f"::error::ksframe: could not comment on pull request #{pr}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
