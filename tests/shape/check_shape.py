#!/usr/bin/env python3
"""The shape every module keeps (issue 16), checked on the sources.

- Access is declared on routes: no role checks inside module handlers.
- Handlers return their failures; App renders them: few `return context.Error` left.
- `<m>_module.cc` holds the manifest and route table (<= 200 lines); no source file over 800.
- Every user-visible word is in the message catalogs: no "日本語 / English" literal, no Status
  made from Japanese text, every message id a Status names exists in Japanese and English, and
  the two languages hold the same keys.

Prints each problem with file and line; exits 1 when there is any.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

MAX_CONTEXT_ERRORS = 20
MAX_MODULE_LINES = 200
MAX_FILE_LINES = 800

JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]"
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
BILINGUAL = re.compile(JAPANESE + r"[^\"]*\s/\s[A-Za-z]")
STATUS_CALL = re.compile(
    r"Status(?:::(?:InvalidArgument|NotFound|PermissionDenied|Unauthenticated|Conflict|"
    r"TooManyRequests|Unavailable|Internal)\(|\(\s*StatusCode::k\w+,)\s*"
    r'"((?:[^"\\]|\\.)*)"',
    re.S)
MESSAGE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")


def sources():
    for path in sorted(SRC.rglob("*")):
        if path.suffix in (".cc", ".h") and not path.name.endswith("_test.cc"):
            if path.name == "testing.cc" or path.name == "testing.h":
                continue
            yield path


def catalogs():
    keys = {"ja": set(), "en": set()}
    problems = []
    for catalog in sorted(SRC.rglob("messages/*.json")):
        language = catalog.stem
        if language not in keys:
            continue
        try:
            entries = json.loads(catalog.read_text(encoding="utf-8"))
        except ValueError as error:
            problems.append(f"{catalog.relative_to(ROOT)}: not JSON: {error}")
            continue
        keys[language] |= set(entries)
    for catalog_dir in sorted({c.parent for c in SRC.rglob("messages/*.json")}):
        ja = set(json.loads((catalog_dir / "ja.json").read_text(encoding="utf-8")))
        en_path = catalog_dir / "en.json"
        en = set(json.loads(en_path.read_text(encoding="utf-8"))) if en_path.exists() else set()
        for key in sorted(ja - en):
            problems.append(f"{catalog_dir.relative_to(ROOT)}/en.json lacks {key}")
        for key in sorted(en - ja):
            problems.append(f"{catalog_dir.relative_to(ROOT)}/ja.json lacks {key}")
    return keys, problems


def main():
    problems = []
    keys, catalog_problems = catalogs()
    problems += catalog_problems
    context_errors = []
    for path in sources():
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT)
        lines = text.count("\n")
        if path.suffix == ".cc" and lines > MAX_FILE_LINES:
            problems.append(f"{relative}: {lines} lines (at most {MAX_FILE_LINES})")
        if path.name.endswith("_module.cc") and lines > MAX_MODULE_LINES:
            problems.append(f"{relative}: {lines} lines; a module file holds the manifest and "
                            f"the route table (at most {MAX_MODULE_LINES})")
        in_http = relative.parts[1] == "http"
        for number, line in enumerate(text.splitlines(), 1):
            if not in_http and re.search(r"RequireRole|RequireStaff\(|RequirePublisher\(", line):
                problems.append(f"{relative}:{number}: a role check inside a handler; declare "
                                f"the access on the route")
            if re.search(r"return context\.Error", line):
                context_errors.append(f"{relative}:{number}")
            for literal in STRING.findall(line):
                if BILINGUAL.search(literal):
                    problems.append(f"{relative}:{number}: bilingual text outside the catalogs: "
                                    f"\"{literal[:60]}\"")
        for match in STATUS_CALL.finditer(text):
            literal = match.group(1)
            number = text.count("\n", 0, match.start()) + 1
            if re.search(JAPANESE, literal):
                problems.append(f"{relative}:{number}: a Status made of Japanese text; give it a "
                                f"message id from the catalogs")
            elif MESSAGE_ID.match(literal) and literal not in keys["ja"]:
                problems.append(f"{relative}:{number}: message id {literal} is in no catalog")
    if len(context_errors) > MAX_CONTEXT_ERRORS:
        problems.append(f"{len(context_errors)} `return context.Error` (at most "
                        f"{MAX_CONTEXT_ERRORS}; return the Status): " + ", ".join(context_errors))
    for problem in problems:
        print(problem)
    print(f"module shape: {len(problems)} problem(s); {len(context_errors)} "
          f"`return context.Error`")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
