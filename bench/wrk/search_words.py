"""The words a student searches for, drawn from the benchmark's own vocabulary.

    python3 bench/wrk/search_words.py bench/seed/words/complaints.txt > words.txt

Prints URL-encoded queries, one a line: Chinese words of two to four characters cut
from the vocabulary's text (so most are found, some often, some rarely) and pairs of
them separated by a space (both must match: often nothing is found). Deterministic,
so every run searches the same few thousand words.
"""
import random
import re
import sys
import urllib.parse

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def words_of(paths):
    words = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                for run in CJK.findall(line):
                    for size in (2, 3, 4):
                        for i in range(len(run) - size + 1):
                            words.add(run[i : i + size])
    return sorted(words)


def main():
    rng = random.Random(20)
    words = words_of(sys.argv[1:])
    singles = rng.sample(words, min(2500, len(words)))
    pairs = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(1000)]
    queries = singles + pairs
    rng.shuffle(queries)
    for q in queries:
        print(urllib.parse.quote(q))


if __name__ == "__main__":
    main()
