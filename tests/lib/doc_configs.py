#!/usr/bin/python3
"""doc_configs.py OUTDIR FILE...: every nsjail.conf example in the project's
documents, written to OUTDIR as a file of its own, one line per example on
stdout:  NAME.conf EXPECT FILE:LINE
(EXPECT: good, or bad when marked as a deliberate bad example).

Where examples are found, generically (new ones are checked without
touching this file):
  * Markdown (*.md) and scdoc (*.scd): every ``` fenced block whose lines
    include a libconfig setting of ours (version/settings/jails/name = ...).
    A block that is a single jail ("{ name = ... }") is wrapped into a
    jails list; a block without "version" gets "version = 1;" in front.
  * a shell script: every here-document (<<'EOF2' ... EOF2) that starts
    with "version = 1;".
  * a file that is itself a config (*.conf, *.conf.example): as a whole.
A block is a deliberate bad example, which must FAIL `check --strict`,
when the line before its fence is a marker comment:
  Markdown  <!-- check: bad -->
  scdoc     ; check: bad
A fragment that is no config (a placeholder like "jails = ( ... );") is
marked "check: fragment" the same way and is skipped."""
import os
import re
import sys

SETTING = re.compile(r'^\s*\{?\s*(version|settings|jails|name)\s*=')
MARK = re.compile(r'^\s*(<!--|;)\s*check:\s*(bad|fragment)\s*(-->)?\s*$')
HEREDOC = re.compile(r"<<-?\s*'?([A-Za-z0-9_]+)'?")


def wrap(text):
    body = text.strip()
    if body.startswith("{"):
        body = "jails = (\n" + body + "\n);"
    if not re.search(r'^\s*version\s*=', body, re.M):
        body = "version = 1;\n" + body
    return body + "\n"


def fenced(path, lines):
    """(line, expect, text) of each ``` block holding our settings."""
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip().startswith("```"):
            start, j = i, i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            body = lines[start + 1:j]
            mark = None
            k = start - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            if k >= 0:
                m = MARK.match(lines[k])
                mark = m.group(2) if m else None
            if any(SETTING.match(l) for l in body) and mark != "fragment":
                # scdoc indents literal blocks with a tab: drop it.
                text = "".join(l[1:] if l.startswith("\t") else l for l in body)
                out.append((start + 2, "bad" if mark == "bad" else "good", wrap(text)))
            i = j + 1
        else:
            i += 1
    return out


def heredocs(path, lines):
    out, i = [], 0
    while i < len(lines):
        m = HEREDOC.search(lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].startswith("version = 1;"):
            end, j = m.group(1), i + 1
            while j < len(lines) and lines[j].rstrip("\n") != end:
                j += 1
            out.append((i + 2, "good", "".join(lines[i + 1:j])))
            i = j
        i += 1
    return out


def main():
    outdir, files = sys.argv[1], sys.argv[2:]
    for path in files:
        with open(path) as f:
            lines = f.readlines()
        if path.endswith((".md", ".scd")):
            found = fenced(path, lines)
        elif path.endswith((".conf", ".conf.example")):
            found = [(1, "good", "".join(lines))]
        else:
            found = heredocs(path, lines)
        base = os.path.basename(path).replace(".", "_")
        for line, expect, text in found:
            name = "%s_%d.conf" % (base, line)
            with open(os.path.join(outdir, name), "w") as f:
                f.write(text)
            print(name, expect, "%s:%d" % (path, line))


main()
