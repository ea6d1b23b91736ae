"""Gazetteer benchmark: each figure printed next to a baseline measured in the same run.

    .venv/bin/python bench/gazetteer.py            # about a minute
    .venv/bin/python bench/gazetteer.py --mb 0.3   # a smaller text for find_mentions

1. Exact-alias look-ups per second (warm), next to a plain dict look-up of the same keys.
2. First-time loose look-ups per second (misspelled names, caches cleared), next to
   difflib.get_close_matches over the Lebanese names.
3. Garbage look-ups per second (no candidate, no exception), next to the dict look-up.
4. Load time and peak resident memory in a fresh process, next to a process that only
   decompresses the file (load) and one that only imports truce.geo (memory).
5. find_mentions throughput (KB/s) over news-like text, next to re.finditer of capitalised
   words over the same text.

Targets (the issue): >= 200,000 exact look-ups/s, load <= 0.5 s, memory <= 150 MB,
find_mentions linear (1 MB in a few seconds). The machines are noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from truce.geo import Gazetteer, fold
from truce.geo.gazetteer import DEFAULT_PATH
from truce.theatre import load_pack

TARGET_LOOKUPS = 200_000
TARGET_LOAD_S = 0.5
TARGET_RSS_MB = 150
#: the process's own peak resident memory (VmHWM; ru_maxrss would count the parent's, which
#: survives fork and exec)
PEAK_RSS = (
    "rss = next(int(line.split()[1]) for line in open('/proc/self/status')"
    " if line.startswith('VmHWM')) / 1024"
)

# news-like sentences (fictional), mixing places, people, dates and everyday capitals
SENTENCES = [
    "An Israeli drone struck a car in Bint Jbeil on Tuesday, killing two men, the ministry said.",
    "Israeli forces demolished houses in Kfar Kila and Odaisseh overnight, Lebanese media said.",
    "Hezbollah said it fired rockets at Kiryat Shmona and Metula in northern Israel.",
    "The Lebanese army deployed in Khiam and along the road to Marjayoun, a military source said.",
    "Prime Minister Nawaf Salam met Speaker Nabih Berri in Beirut to discuss the Nov. 27 deadline.",
    "Residents of Aita al-Shaab, Ramyeh and Yaroun returned to find their homes in ruins.",
    "Shelling hit the outskirts of Shebaa and Kfarchouba near the Shebaa Farms.",
    "A strike on Beirut's southern suburbs targeted a building in Haret Hreik, the army said.",
    "UNIFIL peacekeepers patrolled near Naqoura and reported a violation of the ceasefire.",
    "Syrian state media said an explosion hit Qusayr, near the border with Lebanon's Hermel.",
    "The White House said the envoy would travel to Tel Aviv and then to Damascus.",
    "Officials spoke. Means of support were discussed; Media coverage was limited.",
]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:12,.0f}/s"


def in_fresh_process(code: str, runs: int = 3) -> dict[str, float]:
    """The best of `runs` fresh interpreters running `code`, which prints a JSON object."""
    best: dict[str, float] = {}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
        )
        measured = json.loads(out.stdout)
        best = {k: min(v, best.get(k, v)) for k, v in measured.items()}
    return best


def misspell(name: str, rng: random.Random) -> str:
    """A press-style respelling: vowels and common digraphs shifted."""
    shifts = [("ou", "u"), ("ei", "ai"), ("ie", "iye"), ("e", "i"), ("a", "e"), ("ch", "sh")]
    rng.shuffle(shifts)
    for old, new in shifts:
        if old in name:
            return name.replace(old, new, 1)
    return name + "h"


def bench_lookups(gaz: Gazetteer, rounds: int) -> None:
    names = [gaz.place(row).name for row in range(0, len(gaz) - 100, 7)]
    keys = [fold(n) for n in names]
    plain = dict.fromkeys(keys, 1)
    for name in names:  # first look-ups parse and rank; later ones are what we time
        gaz.lookup(name)

    def truce() -> None:
        for _ in range(rounds):
            for name in names:
                gaz.lookup(name)

    def baseline() -> None:
        for _ in range(rounds):
            for key in keys:
                plain.get(key)

    n = rounds * len(names)
    t, b = timed(truce), timed(baseline)
    flag = f"target {TARGET_LOOKUPS:,}/s: " + ("ok" if n / t >= TARGET_LOOKUPS else "BELOW")
    print(f"\n## exact-alias look-ups ({len(names)} names x {rounds})")
    print(f"  baseline dict.get of the folded key {rate(n, b)}")
    print(f"  gaz.lookup(name)                    {rate(n, t)}   ({flag})")

    garbage = [f"Xq{i}zv Ptlk{i % 97}" for i in range(20_000)] + ["", "   ", "!!!", "ب", "\x00"]
    g = timed(lambda: [gaz.lookup(s) for s in garbage])
    gb = timed(lambda: [plain.get(s) for s in garbage])
    assert all(gaz.lookup(s) == [] for s in garbage[:100])
    print(f"\n## garbage look-ups ({len(garbage)}: no candidate, no exception)")
    print(f"  baseline dict.get                   {rate(len(garbage), gb)}")
    print(f"  gaz.lookup(garbage)                 {rate(len(garbage), g)}")


def bench_loose(gaz: Gazetteer, count: int) -> None:
    rng = random.Random(11)
    lebanese = sorted({gaz.place(r).name for r in range(len(gaz)) if gaz.place(r).country == "LB"})
    sample = rng.sample(lebanese, count)
    loose = [m for m in (misspell(n, rng) for n in sample) if not gaz.has_key(fold(m))]
    gaz._ranked.cache_clear()  # first-time look-ups: nothing remembered
    fold.cache_clear()
    t = timed(lambda: [gaz.lookup(m) for m in loose])
    few = loose[:20]
    b = timed(lambda: [difflib.get_close_matches(m, lebanese, n=5) for m in few])
    print(f"\n## first-time loose look-ups ({len(loose)} misspelled Lebanese names)")
    print(f"  baseline difflib.get_close_matches  {rate(len(few), b)}   ({len(lebanese):,} names)")
    print(f"  gaz.lookup(misspelled), cold        {rate(len(loose), t)}")


def bench_load() -> None:
    load = (
        "import json, time\n"
        "start = time.perf_counter()\n"
        "from truce.geo import Gazetteer\n"
        "imported = time.perf_counter()\n"
        "Gazetteer.load().lookup('Tyre')\n"
        "end = time.perf_counter()\n"
        f"{PEAK_RSS}\n"
        "print(json.dumps({'load_s': end - imported, 'import_s': imported - start,"
        " 'rss_mb': rss}))\n"
    )
    read_only = (
        "import gzip, json, time\n"
        f"path = {str(DEFAULT_PATH)!r}\n"
        "start = time.perf_counter()\n"
        "gzip.decompress(open(path, 'rb').read()).decode('utf-8').split('\\n')\n"
        "print(json.dumps({'load_s': time.perf_counter() - start}))\n"
    )
    import_only = (
        f"import json\nimport truce.geo\n{PEAK_RSS}\nprint(json.dumps({{'rss_mb': rss}}))\n"
    )
    truce, base, bare = (
        in_fresh_process(load),
        in_fresh_process(read_only),
        in_fresh_process(import_only),
    )
    load_flag = "ok" if truce["load_s"] <= TARGET_LOAD_S else "ABOVE TARGET"
    rss_flag = "ok" if truce["rss_mb"] <= TARGET_RSS_MB else "ABOVE TARGET"
    print("\n## load and memory (fresh process, best of 3)")
    print(f"  baseline: decompress + split lines  {base['load_s']:10.3f} s")
    print(
        f"  Gazetteer.load() + first look-up    {truce['load_s']:10.3f} s   "
        f"target {TARGET_LOAD_S} s: {load_flag}   (import truce.geo {truce['import_s']:.3f} s)"
    )
    print(f"  baseline: peak RSS, truce.geo imported  {bare['rss_mb']:6.0f} MB")
    print(
        f"  peak RSS after load + look-up           {truce['rss_mb']:6.0f} MB   "
        f"target {TARGET_RSS_MB} MB: {rss_flag}"
    )


def bench_mentions(gaz: Gazetteer, megabytes: float) -> None:
    size = int(megabytes * 1_000_000)
    rng = random.Random(5)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(SENTENCES))
    text = " ".join(parts)[:size]
    capitalised = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
    b = timed(lambda: sum(1 for _ in capitalised.finditer(text)))
    found: list[Any] = []
    t = timed(lambda: found.extend(gaz.find_mentions(text)))
    dense = " ".join(["Khiam Tyre Sidon Nabatieh Qana Beirut"] * 3_000)
    d = timed(lambda: gaz.find_mentions(dense))
    kb = len(text.encode()) / 1000
    print(f"\n## find_mentions ({kb:,.0f} KB of news-like text, {len(found):,} mentions)")
    print(f"  baseline re.finditer capitalised    {kb / b:12,.0f} KB/s")
    print(f"  gaz.find_mentions(text)             {kb / t:12,.0f} KB/s   ({t:.2f} s in all)")
    dense_kb = len(dense) / 1000
    print(f"  worst case, names only ({dense_kb:.0f} KB)  {dense_kb / d:12,.0f} KB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the exact names")
    parser.add_argument("--loose", type=int, default=400, help="misspelled names looked up")
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes of text for mentions")
    args = parser.parse_args()
    gaz = Gazetteer.load().with_extras(load_pack().places)
    size = DEFAULT_PATH.stat().st_size // 1024
    print(f"gazetteer: {len(gaz):,} places ({DEFAULT_PATH.name}, {size:,} KiB)")
    bench_lookups(gaz, args.rounds)
    bench_loose(gaz, args.loose)
    bench_load()
    bench_mentions(gaz, args.mb)


if __name__ == "__main__":
    main()
