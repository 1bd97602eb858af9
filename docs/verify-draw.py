#!/usr/bin/env python3
"""Check a published event draw (algorithm sha256-rank-v1) by computing it again.

Usage: python3 verify-draw.py URL_OR_FILE    (the event's draw.json; standard library only)

The steps, as the portal does them (src/events/draw.rs):
  pool_hash = sha256(pool file: lines "A001,college", sorted by number)
  beacon    = the revealed secrets in commitment order, then the public value, joined by "|"
  seed      = sha256("{pool_hash}|{event_id}|{beacon}")
  key       = sha256("{seed}|{app_no}") for each application; the order is by key
  selection = pass 1 walks the order taking applicants while their college's quota has room,
              pass 2 fills the places left in the same order; the rest wait, in order.
Exits 0 if everything is reproduced, 1 if anything differs.
"""
import hashlib
import json
import sys
import urllib.request
from collections import Counter


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def number(app_no):
    """'A001' -> 1; None unless written exactly as the portal writes it."""
    digits = app_no[1:]
    if app_no[:1] != "A" or not (digits.isascii() and digits.isdigit()) or "A%03d" % int(digits) != app_no:
        return None
    return int(digits)


def quotas(rule, published, colleges, places):
    """The quotas the rule gives for this pool ('fixed' ones are the organisers' own)."""
    counts = dict(Counter(colleges))
    if rule == "proportional" and places < len(colleges):  # largest remainder
        total, places = len(colleges), max(places, 0)
        share = {c: places * n // total for c, n in counts.items()}
        by_remainder = sorted(counts, key=lambda c: (-(places * counts[c] % total), -counts[c], c))
        for c in by_remainder[: places - sum(share.values())]:
            share[c] += 1
        return share
    rules = {"none": {}, "fixed": published, "one_per_college": {c: 1 for c in counts}, "proportional": counts}
    return rules.get(rule, "an unknown quota rule")


problems = []


def check(what, published, recomputed):
    print(("  ok       " if published == recomputed else "  DIFFERS  ") + what)
    if published == recomputed:
        return
    problems.append(what)
    if isinstance(published, list) and isinstance(recomputed, list):
        diffs = [i for i, (p, r) in enumerate(zip(published, recomputed)) if p != r]
        if diffs:
            i = diffs[0]
            print("    first at position %d: published %r, recomputed %r" % (i + 1, published[i], recomputed[i]))
        else:
            print("    published %d items, recomputed %d" % (len(published), len(recomputed)))
    else:
        print("    published:  %r\n    recomputed: %r" % (published, recomputed))


def main(source):
    if source.startswith(("http://", "https://")):
        raw = urllib.request.urlopen(source, timeout=30).read()
    else:
        raw = open(source, "rb").read()
    d = json.loads(raw.decode("utf-8"))
    places, pool, rule = d["places"], d["pool"], d["quota_rule"]
    print("Draw of event %s: %d places, quota rule %s" % (d["event_id"], places, rule))

    check("algorithm is sha256-rank-v1", d["algorithm"], "sha256-rank-v1")
    check("pool_hash is the SHA-256 of the pool", d["pool_hash"], sha256_hex(pool))
    lines = pool.split("\n")
    check("the pool ends with a newline", lines.pop(), "")
    check("every pool line is 'number,college'", [l for l in lines if number(l.split(",")[0]) is None or "," not in l], [])
    college = dict(line.split(",", 1) for line in lines if "," in line)
    rebuilt = "".join("%s,%s\n" % (a, college[a]) for a in sorted(college, key=lambda a: number(a) or 0))
    check("the pool is sorted by number, each number once", pool, rebuilt)
    print("  (%d applications from %d colleges)" % (len(college), len(set(college.values()))))
    fixed = " (fixed by the organisers: as published)" if rule == "fixed" else ""
    check("quotas follow the rule" + fixed, d["quotas"], quotas(rule, d["quotas"], list(college.values()), places))

    for c in d["commitments"]:
        if c["secret"] is None:
            print("  note     witness %s did not reveal: left out of the beacon" % c["witness"])
        else:
            check("witness %s's secret matches the commitment" % c["witness"], c["commitment"], sha256_hex(c["secret"]))
    parts = [c["secret"] for c in d["commitments"] if c["secret"] is not None]
    beacon = "|".join(parts + ([d["public_value"]] if d["public_value"] is not None else []))
    check("beacon", d["beacon"], beacon)
    seed = sha256_hex("%s|%s|%s" % (sha256_hex(pool), d["event_id"], beacon))
    check("seed", d["seed"], seed)

    keys = {a: sha256_hex("%s|%s" % (seed, a)) for a in college}
    order = sorted(college, key=lambda a: (keys[a], number(a) or 0))
    check("order (by key)", d["order"], [{"app_no": a, "key": keys[a]} for a in order])

    quota, used, taken = d["quotas"], {}, set()
    for a in order:  # pass 1: within each college's quota
        c = college[a]
        if len(taken) < places and used.get(c, 0) < quota.get(c, 0):
            used[c] = used.get(c, 0) + 1
            taken.add(a)
    for a in order:  # pass 2: fill the places left
        if len(taken) < places:
            taken.add(a)
    check("selected", d["selected"], [a for a in order if a in taken])
    check("waiting list", d["waiting"], [a for a in order if a not in taken])

    if problems:
        print("FAILED: %d check(s) differ: %s" % (len(problems), "; ".join(problems)))
        return 1
    print("OK: the draw is reproduced")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        sys.exit(main(sys.argv[1]))
    except (KeyError, TypeError, ValueError, AttributeError, OSError) as e:
        sys.exit("FAILED: could not read a draw from %s (%s: %s)" % (sys.argv[1], type(e).__name__, e))
