#!/usr/bin/env python3
"""Posts FILE as the ksframe comment of a pull request, or updates the one ksframe posted before.

A comment is ksframe's when it starts with the marker <!-- ksframe-action --> AND its author is
the identity of the token: anyone can write the marker, and a comment someone else wrote is
never edited (that would let them have the action overwrite, or hide text in, their comment).
The identity is GET /user's login; the Actions token may not read /user (an installation token),
so it is then KSFRAME_COMMENT_AUTHOR (action.yml: github-actions[bot], the author of what that
token posts).

Uses GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN and PR_NUMBER from the environment (the
REST API's issue comments: a pull request is an issue). Exit codes: 0 posted or updated; 3 the
token may not comment (403, as for a fork's pull request): a warning, the job summary carries the
report; 1 any other failure.
"""
import json
import os
import sys
import urllib.error
import urllib.request

MARKER = "<!-- ksframe-action -->"
LIMIT = 65536  # GitHub refuses longer comment bodies
BOT = "github-actions[bot]"


def call(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("Authorization", "Bearer " + os.environ.get("GITHUB_TOKEN", ""))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def token_login(api):
    try:
        return call("GET", f"{api}/user")["login"]
    except urllib.error.HTTPError as e:
        if e.code in (401, 403, 404):  # an installation token: it cannot read /user
            return os.environ.get("KSFRAME_COMMENT_AUTHOR") or BOT
        raise


def own_comment(api, repo, pr, login):
    page = 1
    while True:
        comments = call("GET", f"{api}/repos/{repo}/issues/{pr}/comments?per_page=100&page={page}")
        for c in comments:
            author = (c.get("user") or {}).get("login")
            if author == login and c.get("body", "").startswith(MARKER):
                return c["id"]
        if len(comments) < 100:
            return None
        page += 1


def fit(body):
    if len(body.encode()) <= LIMIT:
        return body
    note = "\n\n_The report was cut to fit a comment; the job summary and the ksframe-report artifact have all of it._\n"
    cut = body.encode()[: LIMIT - len(note.encode()) - 16].decode("utf-8", "ignore")
    return cut + note


def main():
    body = fit(open(sys.argv[1], encoding="utf-8").read())
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo, pr = os.environ["GITHUB_REPOSITORY"], os.environ["PR_NUMBER"]
    try:
        cid = own_comment(api, repo, pr, token_login(api))
        if cid is None:
            call("POST", f"{api}/repos/{repo}/issues/{pr}/comments", {"body": body})
            print(f"ksframe: commented on pull request #{pr}")
        else:
            call("PATCH", f"{api}/repos/{repo}/issues/comments/{cid}", {"body": body})
            print(f"ksframe: updated the comment on pull request #{pr}")
    except urllib.error.HTTPError as e:
        if e.code == 403:
            print(f"::warning::ksframe: the token may not comment on pull request #{pr} (HTTP 403: "
                  "a fork's pull request, or no 'pull-requests: write'); the job summary has the report")
            return 3
        print(f"::error::ksframe: could not comment on pull request #{pr}: {e}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError) as e:
        print(f"::error::ksframe: could not comment on pull request #{pr}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
