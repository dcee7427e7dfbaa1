"""Does the round countdown drift? One hour of a sharing round under irregular timer ticks.

    python benchmarks/round_drift.py [--minutes 60] [--tick-ms 33] [--jitter-ms 8] [--seed 1]

A fake clock is advanced in steps like a QTimer delivers them (33 ms give or take, with an
occasional stall while the window repaints); the facilitator moves the stick on, pauses and
adds minutes at random. On every tick the engine's countdown is compared with the clock
(allotted - (clock - turn start - pauses)). The engine derives its figures from the clock,
so the error must be exactly 0.0; for contrast, a countdown that subtracts 33 ms per tick
is shown too. Prints one line; exits 1 if the engine's error is not zero.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from peercircle.services.round_engine import Phase, RoundSettings, SharingRound, Speaker

NAMES = ["Ágnes", "Nguyễn", "Ольга", "Kwame", "Saoirse", "李娜", "Ayşe", "Mateus", "Zoë"]


class TickClock:
    """A monotonic clock moved by hand, starting far from zero like a real one."""

    def __init__(self) -> None:
        self.now = 734_512.125

    def __call__(self) -> float:
        return self.now


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="simulated time")
    parser.add_argument("--speakers", type=int, default=12)
    parser.add_argument("--tick-ms", type=float, default=33.0, help="timer interval")
    parser.add_argument("--jitter-ms", type=float, default=8.0, help="+/- on every tick")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    clock = TickClock()
    per_speaker = max(60, round(args.minutes * 60 / args.speakers))
    people = [Speaker(f"m{i}", NAMES[i % len(NAMES)], seat=i) for i in range(args.speakers)]
    rnd = SharingRound(people, RoundSettings(time_seconds=per_speaker), clock)
    end_of_hour = clock.now + args.minutes * 60
    tick = args.tick_ms / 1000

    rnd.start()
    # what the benchmark itself knows about the current turn, kept apart from the engine
    turn_start, pauses, paused_at, allotted = clock.now, 0.0, None, float(per_speaker)
    naive = allotted  # the tick-counting countdown
    wants_to_stop_at = rng.uniform(-40, 90)  # remaining seconds when this speaker is done
    worst_error = worst_naive = 0.0
    ticks = pause_count = 0
    snapshot_seconds = 0.0

    while clock.now < end_of_hour:
        step = tick + rng.uniform(-args.jitter_ms, args.jitter_ms) / 1000
        if rng.random() < 0.002:
            step += rng.uniform(0.1, 0.4)  # a stall: a repaint, a slow disk, the GC
        clock.now += step
        ticks += 1
        if paused_at is None:
            naive -= tick

        started = time.perf_counter()
        snap = rnd.snapshot()
        snapshot_seconds += time.perf_counter() - started

        at = clock.now if paused_at is None else paused_at
        expected = allotted - ((at - turn_start) - pauses)
        worst_error = max(worst_error, abs(snap.remaining - expected))
        worst_naive = max(worst_naive, abs(naive - expected))

        if paused_at is not None:
            if rng.random() < 0.0005:  # pauses last about a minute
                rnd.resume()
                pauses += clock.now - paused_at
                paused_at = None
        elif rng.random() < 0.0001:  # someone needs a moment: a few pauses an hour
            rnd.pause()
            paused_at = clock.now
            pause_count += 1
        elif snap.warning and rng.random() < 0.0005:
            rnd.add_minute()
            allotted += 60
            naive += 60
        elif snap.remaining <= wants_to_stop_at and snap.queue:
            rnd.next()  # the last speaker keeps going (overtime) until the hour is up
            turn_start, pauses, allotted = clock.now, 0.0, float(per_speaker)
            naive = allotted
            wants_to_stop_at = rng.uniform(-40, 90)

    rnd.finish()
    final = rnd.snapshot()
    assert final.phase is Phase.FINISHED
    print(
        f"{args.minutes:g} min, {len(final.turns)} turns, {ticks:,} ticks of "
        f"{args.tick_ms:g}±{args.jitter_ms:g} ms, {pause_count} pauses: "
        f"countdown error vs clock {worst_error!r} s "
        f"(tick counting would be off by up to {worst_naive:.2f} s); "
        f"snapshot {1e6 * snapshot_seconds / ticks:.1f} µs"
    )
    return 0 if worst_error == 0.0 else 1


if __name__ == "__main__":
    sys.exit(main())
