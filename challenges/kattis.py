"""Kattis / ICPC problem packages (problemarchive.org) read into challenge specs, and written.

One problem is a folder ``<shortname>/`` with ``problem.yaml``, a statement
(``problem_statement/problem.<lang>.md`` or ``.tex``; ``statement/`` in the 2023 format),
``data/sample/*.in|.ans`` (our sample tests) and ``data/secret/**/*.in|.ans`` (hidden tests),
optionally ``output_validators/<name>/`` (``output_validator/`` in 2023) and
``submissions/accepted/`` (reference solutions for the languages we run). What the format has no
place for (difficulty, starters, our own comparison modes, published, position) travels in a
``codepusher/`` folder that other tools ignore, so an export imports back unchanged.

Reading checks everything and reports every problem with its file, so a broken package imports
nothing; warnings (a LaTeX statement shown as preformatted text, skipped submissions) are returned
for the importer to print.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from challenges.models import Comparison, Difficulty
from challenges.packs import (
    LANGUAGE_EXTENSIONS,
    SLUG_RE,
    ChallengeSpec,
    PackError,
    PackReader,
    TestCaseSpec,
    toml_dumps,
)
from challenges.statements import latex_to_markdown
from execution.compare import flags_parse
from execution.languages import LANGUAGES
from execution.validators import validator_entry

SUBMISSION_LANGUAGES = {
    f".{ext}": lang.key for lang in LANGUAGES.values() for ext in (lang.extension, *lang.aliases)
}
DEFAULT_TIME_LIMIT_MS = 2000
DEFAULT_MEMORY_MB = 256
SIDECAR_KEYS = {"difficulty": str, "tags": list, "published": bool, "position": int,
                "comparison": str, "tolerance": (int, float)}  # fmt: skip


def is_problem(folder: Path) -> bool:
    return (folder / "problem.yaml").is_file()


def problem_folders(root: Path) -> list[Path]:
    """The problem folders under ``root``: itself, its children, or those of its only child."""
    if is_problem(root):
        return [root]
    children = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    found = [child for child in children if is_problem(child)]
    if not found and len(children) == 1:
        return problem_folders(children[0])
    return found


def shortname_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class _KattisReader(PackReader):
    def __init__(self, root: Path):
        super().__init__(root)
        self.warnings: list[str] = []

    def warn(self, slug: str, message: str) -> None:
        self.warnings.append(f"{slug}: {message}")

    def yaml(self, path: Path) -> dict | None:
        text = self.text(path)
        if text is None:
            return None
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            self.problem(path, f"invalid YAML: {str(exc).splitlines()[0]}")
            return None
        if not isinstance(data, dict):
            self.problem(path, "must be a mapping of keys to values")
            return None
        return data

    def read_problem(self, folder: Path, slug: str) -> ChallengeSpec | None:
        config_path = folder / "problem.yaml"
        config = self.yaml(config_path)
        if config is None:
            return None
        if not SLUG_RE.match(slug):
            self.problem(folder, f"'{slug}' cannot be made into a slug (letters and digits)")
            return None
        if not self.check_type(config_path, config):
            return None
        origin = dict(zip(("source", "source_url"), _source(config), strict=True))
        origin["license"] = str(config.get("license") or "")
        origin_ok = self.check_origin(config_path, origin)
        sidecar = self.read_sidecar(folder / "codepusher")
        statement, latex_title = self.read_statement(folder, slug)
        tests = self.read_data(folder / "data")
        if any((folder / "data").rglob("testdata.yaml")):
            self.warn(slug, "testdata.yaml settings (groups, scoring, per-group flags) are ignored")
        comparison, flags, validators = self.read_validation(folder, config)
        limits = config.get("limits") or {}
        time_limit_ms = self.time_limit(folder, limits)
        memory = limits.get("memory", DEFAULT_MEMORY_MB) if isinstance(limits, dict) else None
        if not isinstance(memory, int) or not 16 <= memory <= 2048:
            self.problem(config_path, "'limits.memory' must be a whole number of MiB, 16 to 2048")
        if statement is None or tests is None or comparison is None or time_limit_ms is None:
            return None
        if sidecar is None or not isinstance(memory, int) or not 16 <= memory <= 2048:
            return None
        if not origin_ok:
            return None
        if sidecar.get("comparison") in (Comparison.EXACT, Comparison.TRAILING_WHITESPACE,
                                         Comparison.FLOAT):  # fmt: skip
            comparison, flags = sidecar["comparison"], ""
        return ChallengeSpec(
            slug=slug,
            title=_title(config.get("name")) or latex_title or slug,
            difficulty=sidecar.get("difficulty", Difficulty.MEDIUM),
            author=_author(config) or "unknown",
            tags=sidecar.get("tags") or _keywords(config.get("keywords")),
            time_limit_ms=time_limit_ms,
            memory_limit_mb=memory,
            comparison=comparison,
            tolerance=float(sidecar.get("tolerance", 1e-6)),
            published=sidecar.get("published", False),
            position=sidecar.get("position", -1),
            statement=statement,
            starters=self.read_starters(folder / "codepusher" / "starter", slug),
            solutions=self.read_submissions(folder / "submissions" / "accepted", slug),
            tests=tests,
            validator_flags=flags,
            validators=validators,
            **origin,
        )

    def check_type(self, path: Path, config: dict) -> bool:
        kinds = config.get("type", "pass-fail")
        kinds = kinds.split() if isinstance(kinds, str) else list(kinds or [])
        validation = str(config.get("validation", "default"))
        if "interactive" in kinds or "multi-pass" in kinds or "interactive" in validation:
            self.problem(path, "interactive problems are not supported; nothing was imported")
            return False
        return True

    def read_sidecar(self, folder: Path) -> dict | None:
        path = folder / "challenge.toml"
        if not path.is_file():
            return {}
        data = self.toml(path, SIDECAR_KEYS, set(SIDECAR_KEYS))
        if data is not None and data.get("difficulty", "easy") not in Difficulty.values:
            self.problem(path, f"'difficulty' must be one of {Difficulty.values}")
            return None
        return data

    def read_statement(self, folder: Path, slug: str) -> tuple[str | None, str]:
        for base in ("problem_statement", "statement"):
            for pattern in ("problem.en.md", "problem.md", "problem.*.md", "problem.en.tex",
                            "problem.tex", "problem.*.tex"):  # fmt: skip
                for path in sorted((folder / base).glob(pattern)):
                    text = self.text(path)
                    if text is None or path.suffix == ".md":
                        return text, ""
                    markdown, title, warnings = latex_to_markdown(text)
                    for warning in warnings:
                        self.warn(slug, warning)
                    return markdown, title
        self.problem(folder / "problem_statement", "has no problem.<language>.md or .tex")
        return None, ""

    def read_data(self, data: Path) -> list[TestCaseSpec] | None:
        found: list[tuple[str, Path, bool]] = []
        for kind in ("sample", "secret"):
            for path in sorted((data / kind).rglob("*.in")) if (data / kind).is_dir() else []:
                answer = path.with_suffix(".ans")
                if not answer.is_file():
                    self.problem(path, f"has no matching {answer.name}")
                    continue
                found.append(
                    (str(path.relative_to(data / kind).with_suffix("")), path, kind == "sample")
                )
        if not found:
            self.problem(data, "has no test: add data/sample/*.in and .ans (or data/secret/)")
            return None
        names = [name for name, _, _ in found]
        numbered = all(n.isdigit() for n in names) and len({int(n) for n in names}) == len(names)
        tests = []
        for index, (name, path, sample) in enumerate(found, start=1):
            stdin, answer = self.text(path), self.text(path.with_suffix(".ans"))
            if stdin is not None and answer is not None:
                tests.append(TestCaseSpec(int(name) if numbered else index, stdin, answer, sample))
        if not any(test.is_sample for test in tests):
            self.problem(data / "sample", "has no sample test; learners need at least one")
        tests.sort(key=lambda test: test.position)
        return tests if len(tests) == len(found) else None

    def read_validation(self, folder: Path, config: dict) -> tuple[str | None, str, dict]:
        path = folder / "problem.yaml"
        flags = config.get("validator_flags") or ""
        if not isinstance(flags, str):
            self.problem(path, "'validator_flags' must be a string")
            return None, "", {}
        if str(config.get("validation", "default")).split()[:1] != ["custom"]:
            try:
                flags_parse(flags)
            except ValueError as exc:
                self.problem(path, f"'validator_flags': {exc}")
                return None, "", {}
            return Comparison.TOKENS, flags, {}
        folders = [folder / "output_validators", folder / "output_validator"]
        entries = [p for f in folders if f.is_dir() for p in sorted(f.iterdir())]
        dirs = [p for p in entries if p.is_dir()]
        if len(dirs) > 1 or (dirs and len(entries) > 1):
            self.problem(folders[0], "holds several validators; keep exactly one")
            return None, "", {}
        files = sorted(p for p in (dirs[0].iterdir() if dirs else entries) if p.is_file())
        validators = {p.name: text for p in files if (text := self.text(p)) is not None}
        try:
            validator_entry(sorted(validators))
        except ValueError as exc:
            self.problem(folders[0], f"validation is custom but {exc}")
            return None, "", {}
        return Comparison.CUSTOM, flags, validators

    def time_limit(self, folder: Path, limits: dict) -> int | None:
        seconds = limits.get("time_limit") if isinstance(limits, dict) else None
        if seconds is None and (folder / ".timelimit").is_file():
            try:
                seconds = float((folder / ".timelimit").read_text().strip())
            except ValueError:
                seconds = "?"
        milliseconds = round(seconds * 1000) if isinstance(seconds, int | float) else None
        if seconds is None:
            return DEFAULT_TIME_LIMIT_MS
        if milliseconds is None or not 100 <= milliseconds <= 20000:
            self.problem(folder / "problem.yaml", "'limits.time_limit' must be 0.1 to 20 seconds")
            return None
        return milliseconds

    def read_submissions(self, folder: Path, slug: str) -> dict[str, str]:
        solutions: dict[str, str] = {}
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            language = SUBMISSION_LANGUAGES.get(path.suffix)
            if not path.is_file() or language is None or language in solutions:
                self.warn(
                    slug, f"submissions/accepted/{path.name}: not used as a reference solution"
                )
                continue
            text = self.text(path)
            if text is not None:
                solutions[language] = text
        return solutions

    def read_starters(self, folder: Path, slug: str) -> dict[str, str]:
        if not folder.is_dir():
            return {key: lang.starter for key, lang in LANGUAGES.items() if lang.starter}
        return self.read_sources(folder)


def _title(name: object) -> str:
    if isinstance(name, dict):
        name = name.get("en") or next(iter(name.values()), "")
    return str(name or "").strip()


def _author(config: dict) -> str:
    credits = config.get("credits")
    if isinstance(credits, dict):
        credits = credits.get("authors")
    author = config.get("author") or credits or config.get("rights_owner") or ""
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    return str(author).strip()[:150]


def _source(config: dict) -> tuple[str, str]:
    source = config.get("source") or ""
    if isinstance(source, list):
        source = source[0] if source else ""
    if isinstance(source, dict):
        return str(source.get("name", "")), str(source.get("url", ""))
    return str(source), str(config.get("source_url") or "")


def _keywords(keywords: object) -> list[str]:
    if isinstance(keywords, str):
        keywords = keywords.split(",") if "," in keywords else keywords.split()
    tags = {shortname_slug(str(k)) for k in keywords or []}
    return sorted(t for t in tags if t and len(t) <= 50)


def kattis_read(root: Path, *, slug_hint: str = "") -> tuple[list[ChallengeSpec], list[str]]:
    """Parse every problem under ``root``; raise PackError listing every problem found.

    ``slug_hint`` names a problem whose ``problem.yaml`` sits at the root (a zip of one problem).
    """
    reader = _KattisReader(Path(root))
    folders = problem_folders(reader.root) if reader.root.is_dir() else []
    if not folders:
        reader.problem(reader.root, "holds no Kattis problem (a folder with problem.yaml)")
    specs = []
    for folder in folders:
        name = slug_hint if folder == reader.root and slug_hint else folder.name
        spec = reader.read_problem(folder, shortname_slug(name))
        if spec is not None:
            specs.append(spec)
    seen: set[str] = set()
    for spec in specs:
        if spec.slug in seen:
            reader.problem(reader.root, f"two problems are named '{spec.slug}'")
        seen.add(spec.slug)
    if reader.problems:
        raise PackError(reader.problems)
    return specs, reader.warnings


def kattis_write(folder: Path, spec: ChallengeSpec, put) -> None:
    """Write one challenge as a Kattis problem folder (``put(path, text)`` writes a file)."""
    kattis_comparison = spec.comparison in (Comparison.TOKENS, Comparison.CUSTOM)
    flags = spec.validator_flags
    if spec.comparison == Comparison.FLOAT:
        flags = f"float_tolerance {spec.tolerance!r}"
    config: dict = {"problem_format_version": "legacy", "name": spec.title, "author": spec.author}
    config |= {
        key: getattr(spec, key) for key in ("source", "source_url", "license") if getattr(spec, key)
    }
    if spec.tags:
        config["keywords"] = " ".join(spec.tags)
    config["validation"] = "custom" if spec.comparison == Comparison.CUSTOM else "default"
    if flags:
        config["validator_flags"] = flags
    config["limits"] = {"time_limit": spec.time_limit_ms / 1000, "memory": spec.memory_limit_mb}
    put(folder / "problem.yaml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    put(folder / "problem_statement" / "problem.en.md", spec.statement)
    width = max(2, len(str(max((t.position for t in spec.tests), default=0))))
    for test in spec.tests:
        kind = "sample" if test.is_sample else "secret"
        put(folder / "data" / kind / f"{test.position:0{width}d}.in", test.stdin)
        put(folder / "data" / kind / f"{test.position:0{width}d}.ans", test.expected_output)
    for name, text in spec.validators.items():
        put(folder / "output_validators" / "validator" / name, text)
    for language, text in spec.solutions.items():
        put(
            folder / "submissions" / "accepted" / f"{language}.{LANGUAGE_EXTENSIONS[language]}",
            text,
        )
    sidecar: dict = {"difficulty": spec.difficulty, "tags": spec.tags,
                     "published": spec.published, "position": spec.position}  # fmt: skip
    if not kattis_comparison:
        sidecar |= {"comparison": spec.comparison, "tolerance": spec.tolerance}
    put(folder / "codepusher" / "challenge.toml", toml_dumps(sidecar))
    for language, text in spec.starters.items():
        put(folder / "codepusher" / "starter" / f"{language}.{LANGUAGE_EXTENSIONS[language]}", text)
