"""Benchmark: catalogue search over 10,000 generated challenges (Whoosh, embedded default).

Builds a throwaway SQLite database and Whoosh index in a temporary directory, generates a
catalogue, then reports
  * indexing throughput of `manage.py update_index` (documents per second), and
  * query latency p50/p95 of `challenge_search` (engine + database page + highlighting, i.e.
    what one request costs minus HTTP) over a mix of realistic queries: as-you-type prefixes,
    whole words, typos, two-word queries, authors and repositories, with and without facet
    filters, as a learner and as staff.

Run from the repository root:  .venv/bin/python bench/bench_search.py [n_challenges] [n_queries]
BENCH_SEARCH_DIR=<dir> keeps the database and index there, and a later run with the same
directory skips generating and indexing (to re-measure queries after a change to the search).
Prints figures only; it asserts nothing about speed.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

N_CHALLENGES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
N_QUERIES = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
PER_REPOSITORY = 100
SEED = 7

TITLE_WORDS = """knapsack graph shortest path tree binary search sort merge quick heap stack queue
matrix string palindrome anagram prefix suffix interval bracket balanced parentheses island
count number sum product subarray subsequence longest increasing common edit distance coin
change climbing stairs robber house jump game word ladder break frequency median window
sliding maximum minimum rotate spiral zigzag trie segment fenwick union find cycle detect
topological order course schedule bipartite colouring dijkstra bellman floyd kruskal prim
bridge articulation flow network matching lcm gcd prime sieve factor modular power fibonacci
catalan permutation combination subset partition backtracking queens sudoku maze flood fill
histogram rectangle skyline water trapping candy gas station meeting rooms calendar booking
lru cache design iterator serialize deserialize encode decode roman integer parse expression
calculator evaluate reverse polish notation temperature daily stock profit buy sell""".split()  # noqa: SIM905
FILLER = """the a of and to in is you that it for given print each line input output read
integers numbers first second value values array list return must should example answer case
cases test constraints between at most least exactly one two three following where which""".split()  # noqa: SIM905


def pseudo_words(rng: random.Random, n: int) -> list[str]:
    """A statement vocabulary the size of a real catalogue's (thousands of distinct words)."""
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qua", "bri", "dor", "fen"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def configure(tmp: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="codepusher.settings",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        SEARCH_URL=f"whoosh://{tmp / 'whoosh'}",
        # Generated rows are indexed by update_index below, not one task per row.
        HAYSTACK_SIGNAL_PROCESSOR="haystack.signals.BaseSignalProcessor",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(rng: random.Random) -> dict:
    from challenges.models import Challenge, ChallengeLanguage, Repository, Tag

    vocabulary = pseudo_words(rng, 4000)
    authors = [f"{rng.choice(['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald'])}{i}" for i in range(300)]  # fmt: skip
    tags = [Tag(name=f"{word}-{i}") for i, word in enumerate(rng.sample(TITLE_WORDS, 40))]
    Tag.objects.bulk_create(tags)
    tags = list(Tag.objects.all())
    repositories = Repository.objects.bulk_create(
        Repository(
            slug=f"repo-{i}",
            name=" ".join(w.title() for w in rng.sample(TITLE_WORDS, 2)) + f" {i}",
            owner=rng.choice(authors),
        )
        for i in range(max(1, N_CHALLENGES // PER_REPOSITORY))
    )
    challenges = []
    for i in range(N_CHALLENGES):
        title = " ".join(w.title() for w in rng.sample(TITLE_WORDS, rng.randint(2, 4)))
        words = rng.choices(FILLER, k=40) + rng.choices(TITLE_WORDS, k=8) + rng.choices(vocabulary, k=25)  # fmt: skip
        rng.shuffle(words)
        challenges.append(
            Challenge(
                repository=repositories[i % len(repositories)],
                slug=f"c-{i}",
                title=title,
                statement=" ".join(words).capitalize() + ".",
                difficulty=rng.choice(["easy", "medium", "hard"]),
                author=rng.choice(authors),
                published=rng.random() < 0.9,
                position=i,
            )
        )
    challenges = Challenge.objects.bulk_create(challenges, batch_size=2000)
    ChallengeLanguage.objects.bulk_create(
        (
            ChallengeLanguage(challenge=c, language=language)
            for c in challenges
            for language in rng.sample(["python", "javascript", "cpp"], rng.randint(1, 3))
        ),
        batch_size=5000,
    )
    Challenge.tags.through.objects.bulk_create(
        (
            Challenge.tags.through(challenge_id=c.pk, tag_id=tag.pk)
            for c in challenges
            for tag in rng.sample(tags, rng.randint(0, 3))
        ),
        batch_size=5000,
    )
    return {"authors": authors, "tags": [t.name for t in tags], "repositories": repositories}


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word))
    kind = rng.choice(["drop", "swap", "replace"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiourst") + word[i + 1 :]


def query_mix(rng: random.Random, data: dict, n: int) -> list[tuple[str, str, dict]]:
    """(kind, query, filters) triples: what people type, keystroke by keystroke included."""
    long_words = [w for w in TITLE_WORDS if len(w) >= 5]
    mix = []
    while len(mix) < n:
        word = rng.choice(TITLE_WORDS)
        kind = rng.choice(["typing", "word", "typo", "two-words", "author", "repository", "facet"])
        filters: dict = {}
        if kind == "typing":  # as-you-type: every prefix from 1 letter
            for end in range(1, len(word) + 1):
                mix.append(("prefix", word[:end], {}))
            continue
        if kind == "word":
            query = word
        elif kind == "typo":
            query = typo(rng, rng.choice(long_words))
        elif kind == "two-words":
            query = f"{word} {rng.choice(TITLE_WORDS)[:4]}"
        elif kind == "author":
            query = rng.choice(data["authors"])[:-1]
        elif kind == "repository":
            query = rng.choice(data["repositories"]).name.split()[0].lower()
        else:
            query = word[: rng.randint(3, len(word))]
            filters = rng.choice(
                [
                    {"difficulty": rng.choice(["easy", "medium", "hard"])},
                    {"tag": rng.choice(data["tags"])},
                    {"language": rng.choice(["python", "javascript", "cpp"])},
                    {"difficulty": "hard", "language": "cpp"},
                ]
            )
        mix.append((kind, query, filters))
    return mix[:n]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(name: str, millis: list[float]) -> None:
    print(
        f"  {name:<22} n={len(millis):>5}  p50 {statistics.median(millis):6.2f} ms  "
        f"p95 {percentile(millis, 95):6.2f} ms  p99 {percentile(millis, 99):6.2f} ms  "
        f"max {max(millis):6.2f} ms"
    )


def main() -> None:
    rng = random.Random(SEED)
    keep = os.environ.get("BENCH_SEARCH_DIR")
    reuse = bool(keep) and (Path(keep) / "bench.sqlite3").exists()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
        configure(Path(keep or tmp))
        from django.contrib.auth.models import AnonymousUser, User
        from django.core.management import call_command

        from challenges.models import Challenge, Repository, Tag
        from search.engine import engine_search
        from search.selectors import challenge_search
        from search.text import query_clean, query_terms

        if reuse:
            data = {
                "authors": sorted(set(Challenge.objects.values_list("author", flat=True))),
                "tags": list(Tag.objects.values_list("name", flat=True)),
                "repositories": list(Repository.objects.all()),
            }
            print(f"reusing {Challenge.objects.count()} challenges and their index in {keep}")
        else:
            started = time.perf_counter()
            data = generate(rng)
            print(f"generated {N_CHALLENGES} challenges in {time.perf_counter() - started:.1f} s")
            documents = Challenge.objects.count() + Repository.objects.count()
            started, started_cpu = time.perf_counter(), time.process_time()
            call_command("update_index", verbosity=0, batchsize=1000)
            elapsed = time.perf_counter() - started
            elapsed_cpu = time.process_time() - started_cpu
            print(
                f"indexing (update_index): {documents} documents in {elapsed:.1f} s wall "
                f"= {documents / elapsed:.0f} docs/s ({elapsed_cpu:.1f} s CPU "
                f"= {documents / elapsed_cpu:.0f} docs/s per core)"
            )

        learner = AnonymousUser()
        staff = User(username="bench-staff", is_staff=True)
        staff.is_active = True
        started = time.perf_counter()
        challenge_search(user=learner, query="knapsack")
        print(f"first query (opens the index, builds facet sets): {(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip

        mix = query_mix(random.Random(SEED + 1), data, N_QUERIES)
        by_kind: dict[str, list[float]] = {}
        engine_ms: list[float] = []
        totals: list[float] = []
        cpu: list[float] = []
        for i, (kind, query, filters) in enumerate(mix):
            user = staff if i % 10 == 0 else learner
            started, started_cpu = time.perf_counter(), time.process_time()
            page = challenge_search(user=user, query=query, **filters)
            took = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - started_cpu) * 1000)
            totals.append(took)
            by_kind.setdefault(kind, []).append(took)
            terms = query_terms(query_clean(query))
            started = time.perf_counter()
            engine_search(terms=terms, staff=False, filters=filters, offset=0, limit=20)
            engine_ms.append((time.perf_counter() - started) * 1000)
            assert page.total >= 0

        # Browsing: the first pass over these filters counts in the database, later passes
        # find the counts cached (until the catalogue changes).
        browse = []
        for filters in [{}, {"difficulty": "easy"}, {"tag": data["tags"][0]}, {"language": "cpp"}] * 10:  # fmt: skip
            started = time.perf_counter()
            challenge_search(user=learner, query="", **filters)
            browse.append((time.perf_counter() - started) * 1000)

        print(f"query latency over {len(mix)} queries (challenge_search, 20 per page):")
        report("all (wall clock)", totals)
        report("all (CPU time)", cpu)
        for kind in sorted(by_kind):
            report(kind, by_kind[kind])
        report("engine only", engine_ms)
        report("browse (no words)", browse)


if __name__ == "__main__":
    main()
