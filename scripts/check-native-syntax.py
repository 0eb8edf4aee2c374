#!/usr/bin/env python3
"""Syntax check of the native shells' hand-written sources, where neither compiles.

No Android SDK, Gradle or Swift toolchain reaches the machines this project runs on
(docs/native.md), so the Compose app module and the Swift app are never compiled here. This
parses every hand-written `*.kt` / `*.kts` under android/ and every `*.swift` under ios/ with
tree-sitter, and reports each file holding an ERROR or MISSING node, at its line and column.
It catches what a parser can (unbalanced braces, a broken expression, a half-edited line), not
what only a compiler can (types, imports, API misuse).

Generated code (target/native: the uniffi bindings and the facet types) is not checked: it
trips gaps in the grammars, and it is written by tools, not people.

Before the files, a self-test feeds one broken Kotlin and one broken Swift snippet through the
same check and requires both to be reported (and a sound snippet of each not to be), so that a
grammar that stopped loading or a walk that stopped looking cannot pass everything silently.

Ends with `syntax: N files checked, N with errors`; exits 1 on any error or a failed
self-test. Run through scripts/check-native-syntax.sh, which installs the pinned parsers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import tree_sitter
import tree_sitter_kotlin
import tree_sitter_swift

# Folders that hold build output or tools' copies, never hand-written sources.
SKIPPED_DIRS = {"build", ".gradle", ".idea", ".build", "DerivedData", "Pods", ".swiftpm"}

# Errors shown per file; the first is what a person fixes first, the rest are often its echo.
SHOWN_PER_FILE = 5

KOTLIN = tree_sitter.Parser(tree_sitter.Language(tree_sitter_kotlin.language()))
SWIFT = tree_sitter.Parser(tree_sitter.Language(tree_sitter_swift.language()))


def parser_for(path: Path) -> tree_sitter.Parser:
    return SWIFT if path.suffix == ".swift" else KOTLIN


def problems(parser: tree_sitter.Parser, source: bytes) -> list[str]:
    """Each ERROR or MISSING node as `line:column: what`, 1-based, in source order."""
    found: list[str] = []

    def walk(node: tree_sitter.Node) -> None:
        if node.is_missing:
            line, column = node.start_point
            found.append(f"{line + 1}:{column + 1}: missing {node.type}")
            return
        if node.is_error:
            line, column = node.start_point
            text = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
            first = text.strip().splitlines()[0][:60] if text.strip() else ""
            found.append(f"{line + 1}:{column + 1}: syntax error near {first!r}")
            return
        # Only subtrees that hold an error are worth walking.
        if node.has_error:
            for child in node.children:
                walk(child)

    walk(parser.parse(source).root_node)
    return found


def sources(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder, patterns in (("android", ("*.kt", "*.kts")), ("ios", ("*.swift",))):
        base = root / folder
        if not base.is_dir():
            continue
        for pattern in patterns:
            for path in base.rglob(pattern):
                if not SKIPPED_DIRS.intersection(path.relative_to(base).parts[:-1]):
                    files.append(path)
    return sorted(files)


# One mistake each, of the kind a hand edit leaves: a call never closed, a brace too few.
BROKEN_KOTLIN = b"""package app.rounds.android

fun greet(name: String): String {
    val words = listOf("hello", name
    return words.joinToString(" ")
}
"""

BROKEN_SWIFT = b"""import SwiftUI

struct Greeting: View {
    let name: String
    var body: some View {
        Text("hello \\(name)"
    }
"""

SOUND_KOTLIN = b"""package app.rounds.android

fun greet(name: String): String = listOf("hello", name).joinToString(" ")
"""

SOUND_SWIFT = b"""import SwiftUI

struct Greeting: View {
    let name: String
    var body: some View { Text("hello \\(name)") }
}
"""


def self_test() -> bool:
    """The check reports a broken snippet of each language, and passes a sound one."""
    ok = True
    for language, parser, broken, sound in (
        ("Kotlin", KOTLIN, BROKEN_KOTLIN, SOUND_KOTLIN),
        ("Swift", SWIFT, BROKEN_SWIFT, SOUND_SWIFT),
    ):
        caught = problems(parser, broken)
        clean = not problems(parser, sound)
        if caught and clean:
            print(f"self-test: injected broken {language} reported ({caught[0]}); sound {language} passes")
        else:
            ok = False
            if not caught:
                print(f"self-test FAILED: injected broken {language} was not reported")
            if not clean:
                print(f"self-test FAILED: sound {language} was reported as broken")
    return ok


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    tested = self_test()
    files = sources(root)
    broken = 0
    for path in files:
        found = problems(parser_for(path), path.read_bytes())
        if found:
            broken += 1
            shown = path.relative_to(root)
            for problem in found[:SHOWN_PER_FILE]:
                print(f"{shown}:{problem}")
            if len(found) > SHOWN_PER_FILE:
                print(f"{shown}: ... and {len(found) - SHOWN_PER_FILE} more")
    print(f"syntax: {len(files)} files checked, {broken} with errors")
    return 0 if tested and broken == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
