#!/usr/bin/env python3
"""Completes in a real interactive bash: readline on a pseudo-terminal, TAB pressed as a user
presses it, so what bash inserts (not only what COMPREPLY holds) is what the test sees.

Usage: bash_pty.py COMPLETION_SCRIPT LINE
Types LINE, presses TAB twice, then quotes the line into an `echo` (Ctrl-A, Ctrl-E) and presses
Enter: the shell echoes the line, trailing space included, as
completion left it. Prints `LINE:<the line>` and, when the second TAB listed candidates, the
listing (`LIST:<words>`). A completion that inserted a newline runs the command instead, which
shows as a line that is not the echo. Gives up after 10 seconds.
"""
import os
import pty
import re
import select
import sys
import tempfile
import time

script, line = sys.argv[1], sys.argv[2]
# An empty folder: a second TAB after a completed value completes a file name, and what the
# folder holds must not answer it.
empty = tempfile.mkdtemp()
pid, fd = pty.fork()
if pid == 0:
    os.chdir(empty)
    env = {"PATH": os.environ["PATH"], "TERM": "dumb", "HOME": os.environ.get("HOME", "/"),
           "PS1": "PROMPT> ", "INPUTRC": "/dev/null", "LC_ALL": "C"}
    os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)

out = b""


def read_until(pattern, seconds=10):
    global out
    end = time.time() + seconds
    while time.time() < end:
        if re.search(pattern, out):
            return True
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return False


def send(text):
    os.write(fd, text.encode())


read_until(rb"PROMPT> ")
send(f"bind 'set bell-style none'; source '{script}'; echo READY\n")
read_until(rb"READY\r?\n.*PROMPT> ")
out = b""
send(line + "\t")
time.sleep(0.5)
send("\t")
time.sleep(0.5)
send("\x01echo 'ECHO:\x05'\r")
read_until(rb"\nECHO:[^\r\n]*\r?\n")
send("exit\n")
os.waitpid(pid, 0)
os.rmdir(empty)
text = out.decode("utf-8", "replace").replace("\r", "")
echoed = re.search(r"^ECHO:(.*)$", text, re.M)
print("LINE:" + (echoed.group(1) if echoed else "<no echo: the completion ran the command>"))
# The listing: the lines between the typed line and the prompt that redraws it.
listing = re.search(r"\n((?:[^\n]*\S[^\n]*\n)+?)PROMPT> ", text)
if listing and "ECHO" not in listing.group(1):
    print("LIST:" + " ".join(listing.group(1).split()))
