"""Read the TOML files of this folder on Python 3.9 and 3.10 too (stdlib only).

Uses tomllib when it exists (3.11+). Otherwise a small reader for the subset these files use:
comments, [table], [[array.of.tables]], dotted headers, and values that are basic or literal
strings, integers, floats, booleans and (possibly multi-line) arrays of those.
"""

import json
import re

try:  # Python 3.11+
    import tomllib as _tomllib
except ImportError:  # pragma: no cover - exercised on 3.9/3.10 only
    _tomllib = None


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if _tomllib is not None:
        return _tomllib.loads(data.decode("utf-8"))
    return _loads(data.decode("utf-8"))


_KEY = re.compile(r'\s*([A-Za-z0-9_-]+|"[^"]*")\s*=\s*')


def _strip_comment(line):
    out, quote = [], None
    for ch in line:
        if quote:
            out.append(ch)
            if ch == quote and (quote == "'" or not (len(out) > 1 and out[-2] == "\\")):
                quote = None
        elif ch in "\"'":
            quote = ch
            out.append(ch)
        elif ch == "#":
            break
        else:
            out.append(ch)
    return "".join(out).strip()


def _value(text):
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'"):
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if text.startswith("["):
        items, buf, depth, quote = [], "", 0, None
        for ch in text[1:-1]:
            if quote:
                buf += ch
                if ch == quote and not (quote == '"' and buf.endswith('\\"') and not buf.endswith('\\\\"')):
                    quote = None
            elif ch in "\"'":
                quote = ch
                buf += ch
            elif ch == "[":
                depth += 1
                buf += ch
            elif ch == "]":
                depth -= 1
                buf += ch
            elif ch == "," and depth == 0:
                if buf.strip():
                    items.append(_value(buf))
                buf = ""
            else:
                buf += ch
        if buf.strip():
            items.append(_value(buf))
        return items
    try:
        return int(text)
    except ValueError:
        return float(text)


def _loads(text):
    root = {}
    cur = root
    pending = ""
    for raw in text.splitlines():
        line = _strip_comment(raw) if not pending else raw.strip()
        if pending:
            line = _strip_comment(line)
            pending += " " + line
            if pending.count("[") == pending.count("]"):
                key, val = pending.split("=", 1)
                cur[json.loads(key.strip()) if key.strip().startswith('"') else key.strip()] = _value(val)
                pending = ""
            continue
        if not line:
            continue
        if line.startswith("[["):
            parts = line[2:-2].strip().split(".")
            tbl = root
            for p in parts[:-1]:
                tbl = tbl.setdefault(p, {})
                if isinstance(tbl, list):
                    tbl = tbl[-1]
            cur = {}
            tbl.setdefault(parts[-1], []).append(cur)
        elif line.startswith("["):
            parts = line[1:-1].strip().split(".")
            tbl = root
            for p in parts:
                tbl = tbl.setdefault(p, {})
                if isinstance(tbl, list):
                    tbl = tbl[-1]
            cur = tbl
        else:
            m = _KEY.match(line)
            if not m:
                raise ValueError("cannot read TOML line: %r" % raw)
            key = m.group(1).strip('"')
            rest = line[m.end():]
            if rest.startswith("[") and rest.count("[") != rest.count("]"):
                pending = key + " = " + rest
                continue
            cur[key] = _value(rest)
    return root
