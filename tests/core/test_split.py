"""How a render's plays are shared among processes, and the segment cache's size bound."""

import itertools
import os
import random

from scenes.pipeline import chunks, segments


def slowest(cost, ranges, rest=False) -> float:
    """The time of the slowest process: the plays before its range undrawn, then its range drawn; with
    `rest`, the first process then plays the plays after its range undrawn."""
    after = sum(u for u, _ in cost[ranges[0][1] + 1 :]) if rest else 0.0
    return max(
        sum(u for u, _ in cost[:a]) + sum(d for _, d in cost[a : b + 1]) + (after if i == 0 else 0.0)
        for i, (a, b) in enumerate(ranges)
    )


def every_split(n: int, jobs: int):
    for k in range(1, min(jobs, n) + 1):
        for cuts in itertools.combinations(range(1, n), k - 1):
            edges = [0, *cuts, n]
            yield [(edges[i], edges[i + 1] - 1) for i in range(k)]


def test_the_split_is_as_fast_as_the_best_of_every_split():
    rng = random.Random(7)
    for _ in range(200):
        n, jobs = rng.randint(1, 8), rng.randint(1, 4)
        cost = []
        for _ in range(n):
            undrawn = rng.uniform(0.01, 1.0)
            cost.append((undrawn, undrawn + rng.choice([0.0, rng.uniform(0, 20)])))
        for rest in (False, True):  # the first process plays the rest undrawn too (the parent draws it)
            ranges = chunks.split(cost, jobs, rest)
            assert len(ranges) <= jobs and ranges[0][0] == 0 and ranges[-1][1] == n - 1
            assert all(
                b + 1 == a for (_, b), (a, _) in zip(ranges, ranges[1:])
            )  # consecutive, each play once
            best = min(slowest(cost, r, rest) for r in every_split(n, jobs))
            assert slowest(cost, ranges, rest) <= best * (1 + 1e-9)


def test_costs_follow_frames_weigh_held_frames_less_and_add_a_play_s_own():
    plan = [("a", 60, False, False), ("b", 60, True, False), ("c", 30, False, False)]
    cost = chunks.costs(plan, seconds=3.0, pixels=1_000_000)
    assert [round(u, 9) for u, _ in cost] == [1.2, 1.2, 0.6]  # the undrawn pass's 3 s shared by frames
    drawn = [d - u - chunks.PER_PLAY for u, d in cost]
    assert abs(drawn[1] / drawn[0] - chunks.HELD) < 1e-9 and abs(drawn[2] / drawn[0] - 0.5) < 1e-9


def test_the_bound_removes_the_least_recently_used_and_never_while_a_render_holds_the_cache(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    where = segments.folder("low", {"crf": "23"})
    where.mkdir(parents=True)
    for age in range(10):  # 10 segments of 1000 bytes, used 10 … 1 hours ago
        path = where / f"{age}.mp4"
        path.write_bytes(b"x" * 1000)
        used = 1_700_000_000 - 3600 * age
        os.utime(path, (used, used))
    with segments.in_use(where):  # another render may still join them
        assert segments.bound(limit=4500) == 0 and len(list(where.iterdir())) == 10
    assert segments.bound(limit=4500) == 6
    assert sorted(p.name for p in where.glob("*.mp4")) == [f"{age}.mp4" for age in range(4)]
