#!/usr/bin/env python3
"""Size limits of harness/ (issue 15): no function over ~60 lines, no file over ~400.

Reads clang-formatted C++ (namespaces are not indented, so a function body opens on a line that
ends with '{' at column 0 and closes at a '}' at column 0). Lambdas and local classes count toward
the function that holds them. Usage: check_sizes.py [--functions N] [--files N] PATH... (a PATH
is a directory, searched recursively, or a .cpp/.hpp file).
Prints every violation and exits 1 if there is one."""
import argparse
import pathlib
import re
import sys

def strip(text):
    """The text with comments, string and character literals blanked (line breaks kept)."""
    pattern = re.compile(r'//[^\n]*|/\*.*?\*/|R"\((?:.|\n)*?\)"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                         re.S)
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def functions(text):
    """(signature, first line, length) of every function defined at namespace or class scope.

    A brace opens a function body when the text since the previous ';', '{' or '}' has a ')' and
    is not a type, a namespace or an initializer ('= {'); bodies nested in it (lambdas, local
    types) count toward it."""
    code = strip(text)
    stack = []  # (kind, first line of the head)
    head_start = 0
    for pos, ch in enumerate(code):
        if ch in ";{}":
            head = code[head_start:pos]
            if ch == "{":
                kind = "block"
                if not any(k == "function" for k, _, _ in stack):
                    h = " ".join(head.split())
                    if re.search(r"\b(namespace|extern)\b", h) and "(" not in h:
                        kind = "namespace"
                    elif re.match(r"^(template\s*<.*>\s*)?(struct|class|enum|union)\b", h):
                        kind = "type"
                    elif ")" in h and not re.search(r"=\s*$", h) and h.split("(")[0].strip():
                        kind = "function"
                first = code.count("\n", 0, head_start + len(head) - len(head.lstrip())) + 1
                stack.append((kind, first, " ".join(head.split())[:80]))
            elif ch == "}" and stack:
                kind, first, sig = stack.pop()
                if kind == "function" and not any(k == "function" for k, _, _ in stack):
                    last = code.count("\n", 0, pos) + 1
                    yield sig, first, last - first + 1
            head_start = pos + 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--functions", type=int, default=60, help="longest function body in lines")
    ap.add_argument("--files", type=int, default=400, help="longest file in lines")
    ap.add_argument("paths", nargs="+", help="directories (searched recursively) or files")
    a = ap.parse_args()
    bad = 0
    for d in a.paths:
        root = pathlib.Path(d)
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.suffix not in (".cpp", ".hpp"):
                continue
            text = path.read_text()
            lines = text.splitlines()
            if len(lines) > a.files:
                print(f"{path}: {len(lines)} lines (limit {a.files})")
                bad += 1
            for sig, line, length in functions(text):
                if length > a.functions:
                    print(f"{path}:{line}: {length}-line function (limit {a.functions}): {sig}")
                    bad += 1
    if bad:
        print(f"{bad} violation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
