"""``python tests/check/measure.py``: the corpus measures of issue 14;
``python tests/check/measure.py --writeup``: the writeup's own derivations
(``python -m derive --format latex``) fed back, one derivation at a time, with the CPU seconds
each takes (judged in this process)."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import cases, got, measures, run  # noqa: E402


def writeup() -> int:
    import tempfile
    from collections import Counter
    from derive import load
    from writeup import feed_back
    total, first, seconds = Counter(), Counter(), {}
    with tempfile.TemporaryDirectory() as tmp:
        for d in load():
            t = time.process_time()
            fed = feed_back(d, Path(tmp))
            seconds[d.id] = time.process_time() - t
            c = Counter(v or "no step" for v in fed.rows.values())
            total.update(c)
            first.update(fed.others.values())
            note = f"  (not fed back: {fed.unfed})" if fed.unfed else ""
            print(f"{d.id:40s} part={fed.part or '-':6s} rows={len(fed.rows):2d} {seconds[d.id]:6.1f} CPU s {dict(c)} "
                  f"first rows: {dict(Counter(fed.others.values()))}{note}")
    slowest = max(seconds, key=seconds.get)
    print(f"CPU seconds per derivation (judged in this process): median {statistics.median(seconds.values()):.1f}, "
          f"max {seconds[slowest]:.1f} ({slowest}), total {sum(seconds.values()):.0f}")
    for name, t in (("verified rows", total), ("other steps (a chain's first row)", first)):
        ok = t["proved"] + t["numeric"]
        print(f"{name}: {sum(t.values())}; proved or numeric: {ok}; " +
              ", ".join(f"{k}: {v}" for k, v in sorted(t.items()) if k not in ("proved", "numeric")))
    return 0


def main() -> int:
    if "--writeup" in sys.argv:
        return writeup()
    rows = []
    t0 = time.perf_counter()
    for case in cases():
        t = time.perf_counter()
        r = run(case)
        rows.append((case, r))
        g = got(r)
        bad = [(line, want, g.get(line)) for line, want in case.expected.items() if g.get(line) != want]
        final = r.final.get("verdict")
        flag = "" if not bad and (case.final is None or final == case.final) else "  MISMATCH"
        print(f"{case.path.name:28s} {time.perf_counter() - t:6.1f} s  final={final}{flag}")
        for line, want, have in bad:
            print(f"    line {line}: expected {want}, got {have}")
        if case.final is not None and case.final != final:
            print(f"    final: expected {case.final}, got {final} ({r.final.get('detail', '')[:120]})")
    m = measures(rows)
    print(f"\n{m.files} files, {m.steps} steps, {time.perf_counter() - t0:.0f} s")
    print(f"planted errors found at their line: {m.planted_found} of {m.planted}")
    print(f"correct steps called wrong or domain: {m.correct_called_wrong} of {m.correct}")
    print(f"inconclusive: {m.inconclusive} of {m.steps} steps ({100 * m.inconclusive_share:.1f} %)")
    print(f"lines with the expected verdict: {m.exact} of {sum(len(c.expected) for c, _ in rows)}")
    print(f"final verdicts as expected: {m.finals_right} of {m.finals}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
