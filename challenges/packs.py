"""Challenge packs: a human-editable, diff-friendly folder format that round-trips exactly.

Layout (documented for humans in challenges/packs/README.md)::

    <pack>/<repository-slug>/repository.toml
    <pack>/<repository-slug>/<challenge-slug>/challenge.toml
    <pack>/<repository-slug>/<challenge-slug>/statement.md
    <pack>/<repository-slug>/<challenge-slug>/starter/<language>.<ext>
    <pack>/<repository-slug>/<challenge-slug>/solution/<language>.<ext>
    <pack>/<repository-slug>/<challenge-slug>/tests/<NN>.in + <NN>.out
    <pack>/<repository-slug>/<challenge-slug>/validator/<file>   (comparison = "custom" only)

Reading validates the whole pack first and reports every problem with the file it is in, so a
broken pack imports nothing. Writing produces exactly what reading accepts.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from challenges.models import Comparison, Difficulty
from execution.compare import flags_parse
from execution.languages import LANGUAGES
from execution.validators import validator_entry

LANGUAGE_EXTENSIONS = {lang.key: lang.extension for lang in LANGUAGES.values()}
EXTENSION_LANGUAGES = {ext: lang for lang, ext in LANGUAGE_EXTENSIONS.items()}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEST_STEM_RE = re.compile(r"^\d{2,4}$")
DEFAULT_TOLERANCE = 1e-6

REPOSITORY_KEYS = {"name": str, "owner": str, "description": str}
CHALLENGE_KEYS: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "difficulty": str,
    "author": str,
    "tags": list,
    "time_limit_ms": int,
    "memory_limit_mb": int,
    "comparison": str,
    "tolerance": (int, float),
    "published": bool,
    "position": int,
    "validator_flags": str,
    "sample_tests": list,
    "source": str,
    "source_url": str,
    "license": str,
}
CHALLENGE_OPTIONAL_KEYS = {"tolerance", "validator_flags", "source", "source_url", "license"}
ORIGIN_KEYS = ("source", "source_url", "license")


@dataclass
class TestCaseSpec:
    __test__ = False

    position: int
    stdin: str
    expected_output: str
    is_sample: bool


@dataclass
class ChallengeSpec:
    slug: str
    title: str
    difficulty: str
    author: str
    tags: list[str]
    time_limit_ms: int
    memory_limit_mb: int
    comparison: str
    tolerance: float
    published: bool
    position: int
    statement: str
    starters: dict[str, str] = field(default_factory=dict)
    solutions: dict[str, str] = field(default_factory=dict)
    tests: list[TestCaseSpec] = field(default_factory=list)
    validator_flags: str = ""
    validators: dict[str, str] = field(default_factory=dict)
    source: str = ""
    source_url: str = ""
    license: str = ""


@dataclass
class RepositorySpec:
    slug: str
    name: str
    owner: str
    description: str
    challenges: list[ChallengeSpec] = field(default_factory=list)


class PackError(Exception):
    """Every problem found in a pack, each as (file, message)."""

    def __init__(self, problems: list[tuple[Path, str]]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the pack")

    def lines(self, root: Path) -> list[str]:
        return [f"{_relative(path, root)}: {message}" for path, message in self.problems]


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


class PackReader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[tuple[Path, str]] = []

    def problem(self, path: Path, message: str) -> None:
        self.problems.append((path, message))

    def text(self, path: Path) -> str | None:
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                return handle.read()
        except UnicodeDecodeError as exc:
            self.problem(path, f"not valid UTF-8 (byte {exc.start})")
        except OSError as exc:
            self.problem(path, f"cannot be read ({exc.strerror})")
        return None

    def toml(self, path: Path, keys: dict, optional: set[str] = frozenset()) -> dict | None:
        if not path.is_file():
            self.problem(path, "is missing")
            return None
        source = self.text(path)
        if source is None:
            return None
        try:
            data = tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            self.problem(path, f"invalid TOML: {exc}")
            return None
        ok = True
        for key in data.keys() - keys.keys():
            self.problem(path, f"unknown key '{key}'")
            ok = False
        for key, expected in keys.items():
            if key not in data:
                if key not in optional:
                    self.problem(path, f"missing key '{key}'")
                    ok = False
                continue
            value = data[key]
            if isinstance(value, bool) and expected is not bool:
                ok = False
                self.problem(path, f"'{key}' must be {_type_name(expected)}, not a boolean")
            elif not isinstance(value, expected):
                ok = False
                self.problem(path, f"'{key}' must be {_type_name(expected)}")
        return data if ok else None

    def read_pack(self) -> list[RepositorySpec]:
        if not self.root.is_dir():
            self.problem(self.root, "is not a folder")
            return []
        repositories = []
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            if folder.name.startswith("."):
                continue
            repository = self.read_repository(folder)
            if repository:
                repositories.append(repository)
        if not repositories and not self.problems:
            self.problem(self.root, "contains no repository folder")
        self.check_unique_slugs(repositories)
        return repositories

    def read_repository(self, folder: Path) -> RepositorySpec | None:
        if not SLUG_RE.match(folder.name):
            self.problem(folder, "folder name must be a slug (lowercase letters, digits, hyphens)")
        data = self.toml(folder / "repository.toml", REPOSITORY_KEYS)
        challenges = [
            challenge
            for sub in sorted(
                p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
            )
            if (challenge := self.read_challenge(sub))
        ]
        if data is None:
            return None
        return RepositorySpec(slug=folder.name, challenges=challenges, **data)

    def read_challenge(self, folder: Path) -> ChallengeSpec | None:
        config_path = folder / "challenge.toml"
        if not SLUG_RE.match(folder.name):
            self.problem(folder, "folder name must be a slug (lowercase letters, digits, hyphens)")
        data = self.toml(config_path, CHALLENGE_KEYS, CHALLENGE_OPTIONAL_KEYS)
        statement = None
        if (folder / "statement.md").is_file():
            statement = self.text(folder / "statement.md")
        else:
            self.problem(folder / "statement.md", "is missing")
        starters = self.read_sources(folder / "starter")
        solutions = self.read_sources(folder / "solution")
        tests = self.read_tests(folder / "tests")
        validators = self.read_validator(folder / "validator")
        if data is None:
            return None
        ok = self.check_challenge_values(config_path, data) and statement is not None
        ok = self.check_validation(folder, data, validators) and ok
        if not starters and not solutions:
            self.problem(folder / "starter", "no language: add starter/<language>.<ext>")
            ok = False
        samples = data["sample_tests"]
        stems = {f"{t.position:02d}" for t in tests} | {str(t.position) for t in tests}
        for sample in samples:
            if not isinstance(sample, str) or sample not in stems:
                self.problem(config_path, f"sample_tests names '{sample}', which is not in tests/")
                ok = False
        if not tests:
            self.problem(folder / "tests", "has no test case (<NN>.in with <NN>.out)")
            ok = False
        if not ok:
            return None
        sample_positions = {int(s) for s in samples}
        for test in tests:
            test.is_sample = test.position in sample_positions
        comparison = data["comparison"]
        return ChallengeSpec(
            slug=folder.name,
            title=data["title"],
            difficulty=data["difficulty"],
            author=data["author"],
            tags=list(data["tags"]),
            time_limit_ms=data["time_limit_ms"],
            memory_limit_mb=data["memory_limit_mb"],
            comparison=comparison,
            tolerance=float(data.get("tolerance", DEFAULT_TOLERANCE)),
            published=data["published"],
            position=data["position"],
            statement=statement,
            starters=starters,
            solutions=solutions,
            tests=tests,
            validator_flags=data.get("validator_flags", ""),
            validators=validators,
            **{key: data.get(key, "") for key in ORIGIN_KEYS},
        )

    def check_validation(self, folder: Path, data: dict, validators: dict[str, str]) -> bool:
        """Flags the judge can apply; a validator exactly when the comparison is custom."""
        path = folder / "challenge.toml"
        problems = []
        if data["comparison"] == Comparison.TOKENS:
            try:
                flags_parse(data.get("validator_flags", ""))
            except ValueError as exc:
                problems.append((path, f"'validator_flags': {exc}"))
        elif data.get("validator_flags") and data["comparison"] != Comparison.CUSTOM:
            problems.append((path, "'validator_flags' goes with comparison 'tokens' or 'custom'"))
        if data["comparison"] == Comparison.CUSTOM:
            try:
                validator_entry(sorted(validators))
            except ValueError as exc:
                problems.append((folder / "validator", str(exc)))
        elif validators:
            problems.append((folder / "validator", "only a 'custom' comparison uses a validator"))
        for problem in problems:
            self.problem(*problem)
        return not problems

    def read_validator(self, folder: Path) -> dict[str, str]:
        files: dict[str, str] = {}
        if not folder.is_dir():
            return files
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.is_symlink():
                self.problem(path, "unexpected entry; the validator folder holds plain files")
                continue
            text = self.text(path)
            if text is not None:
                files[path.name] = text
        return files

    def check_origin(self, path: Path, data: dict) -> bool:
        """Source, link and license as the challenge page shows them: a link must be http(s)."""
        problems = [
            f"'{key}' is longer than {limit} characters"
            for key, limit in (("source", 200), ("source_url", 500), ("license", 50))
            if len(str(data.get(key, ""))) > limit
        ]
        url = str(data.get("source_url", ""))
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                problems.append("'source_url' must be an http:// or https:// address")
        for message in problems:
            self.problem(path, message)
        return not problems

    def check_challenge_values(self, path: Path, data: dict) -> bool:
        if not self.check_origin(path, data):
            return False
        checks = [
            (data["title"].strip() != "", "'title' must not be empty"),
            (data["difficulty"] in Difficulty.values, f"'difficulty' must be one of {Difficulty.values}"),
            (data["comparison"] in Comparison.values, f"'comparison' must be one of {Comparison.values}"),
            (data["author"].strip() != "", "'author' must not be empty"),
            (100 <= data["time_limit_ms"] <= 20000, "'time_limit_ms' must be between 100 and 20000"),
            (16 <= data["memory_limit_mb"] <= 2048, "'memory_limit_mb' must be between 16 and 2048"),
            (data["position"] >= 0, "'position' must not be negative"),
            (all(isinstance(t, str) and SLUG_RE.match(t) for t in data["tags"]),
             "'tags' must be a list of slugs"),
            (float(data.get("tolerance", DEFAULT_TOLERANCE)) >= 0, "'tolerance' must not be negative"),
        ]  # fmt: skip
        failed = [message for passed, message in checks if not passed]
        for message in failed:
            self.problem(path, message)
        return not failed

    def read_sources(self, folder: Path) -> dict[str, str]:
        sources: dict[str, str] = {}
        if not folder.is_dir():
            return sources
        for path in sorted(folder.iterdir()):
            language = EXTENSION_LANGUAGES.get(path.suffix.lstrip("."))
            if not path.is_file() or language is None or path.stem != language:
                self.problem(path, f"unexpected file; expected one of {_source_names()}")
                continue
            text = self.text(path)
            if text is not None:
                sources[language] = text
        return sources

    def read_tests(self, folder: Path) -> list[TestCaseSpec]:
        if not folder.is_dir():
            return []
        inputs: dict[str, Path] = {}
        outputs: dict[str, Path] = {}
        for path in sorted(folder.iterdir()):
            target = {".in": inputs, ".out": outputs}.get(path.suffix)
            if target is None or not TEST_STEM_RE.match(path.stem):
                self.problem(path, "unexpected file; test files are <NN>.in and <NN>.out")
                continue
            target[path.stem] = path
        tests = []
        seen: dict[int, str] = {}
        for stem in sorted(inputs.keys() | outputs.keys(), key=int):
            if stem not in outputs:
                self.problem(inputs[stem], f"has no matching {stem}.out")
                continue
            if stem not in inputs:
                self.problem(outputs[stem], f"has no matching {stem}.in")
                continue
            if int(stem) in seen:
                self.problem(inputs[stem], f"has the same number as {seen[int(stem)]}.in")
                continue
            seen[int(stem)] = stem
            stdin, expected = self.text(inputs[stem]), self.text(outputs[stem])
            if stdin is not None and expected is not None:
                tests.append(TestCaseSpec(int(stem), stdin, expected, is_sample=False))
        return tests

    def check_unique_slugs(self, repositories: list[RepositorySpec]) -> None:
        seen: dict[str, str] = {}
        for repository in repositories:
            for challenge in repository.challenges:
                if challenge.slug in seen:
                    path = self.root / repository.slug / challenge.slug
                    self.problem(path, f"challenge slug is also used in '{seen[challenge.slug]}'")
                seen[challenge.slug] = repository.slug


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             list: "a list"}  # fmt: skip
    if isinstance(expected, tuple):
        return "a number"
    return names.get(expected, expected.__name__)


def _source_names() -> str:
    return ", ".join(f"{lang}.{ext}" for lang, ext in LANGUAGE_EXTENSIONS.items())


def _toml_value(value: str | int | float | bool | list) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped too.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_dumps(data: dict) -> str:
    """Flat TOML, one `key = value` a line and lists inline: the format people edit by hand."""
    return "".join(f"{key} = {_toml_value(value)}\n" for key, value in data.items())


def pack_read(root: Path) -> list[RepositorySpec]:
    """Parse and validate a whole pack; raise PackError listing every problem."""
    reader = PackReader(Path(root))
    repositories = reader.read_pack()
    if reader.problems:
        raise PackError(reader.problems)
    return repositories


def writer(written: list[Path]):
    """A ``put(path, text)`` that writes UTF-8 byte-exact, skips files already holding the same
    bytes, and records what it wrote in ``written``."""

    def put(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.read_bytes() == text.encode("utf-8"):
            return
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        written.append(path)

    return put


def pack_write(root: Path, repositories: list[RepositorySpec]) -> list[Path]:
    """Write specs as a pack folder; files that already hold the same bytes are left untouched."""
    root = Path(root)
    written: list[Path] = []
    put = writer(written)
    for repository in repositories:
        folder = root / repository.slug
        put(
            folder / "repository.toml",
            toml_dumps(
                {
                    "name": repository.name,
                    "owner": repository.owner,
                    "description": repository.description,
                }  # fmt: skip
            ),
        )
        for challenge in repository.challenges:
            _write_challenge(folder / challenge.slug, challenge, put)
    return written


def _write_challenge(folder: Path, challenge: ChallengeSpec, put) -> None:
    width = max(2, len(str(max((t.position for t in challenge.tests), default=0))))
    config: dict = {
        "title": challenge.title,
        "difficulty": challenge.difficulty,
        "author": challenge.author,
        "tags": challenge.tags,
        "time_limit_ms": challenge.time_limit_ms,
        "memory_limit_mb": challenge.memory_limit_mb,
        "comparison": challenge.comparison,
    }
    if challenge.comparison == Comparison.FLOAT or challenge.tolerance != DEFAULT_TOLERANCE:
        config["tolerance"] = challenge.tolerance
    if challenge.validator_flags:
        config["validator_flags"] = challenge.validator_flags
    config.update(
        published=challenge.published,
        position=challenge.position,
        sample_tests=[f"{t.position:0{width}d}" for t in challenge.tests if t.is_sample],
    )
    config.update({key: getattr(challenge, key) for key in ORIGIN_KEYS if getattr(challenge, key)})
    put(folder / "challenge.toml", toml_dumps(config))
    put(folder / "statement.md", challenge.statement)
    for kind, sources in (("starter", challenge.starters), ("solution", challenge.solutions)):
        for language, text in sources.items():
            put(folder / kind / f"{language}.{LANGUAGE_EXTENSIONS[language]}", text)
    for test in challenge.tests:
        put(folder / "tests" / f"{test.position:0{width}d}.in", test.stdin)
        put(folder / "tests" / f"{test.position:0{width}d}.out", test.expected_output)
    for name, text in challenge.validators.items():
        put(folder / "validator" / name, text)
