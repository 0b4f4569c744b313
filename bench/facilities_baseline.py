#!/usr/bin/env python3
"""Plain-Python baseline for the facilities benchmarks (issue 9).

The same rules as src/facilities (the 総務省 policy: 大規模改修 at 30 years over 2, 建替え at 60
over 3, its unit costs, overdue works spread over 10 years, no overdue renovation within 10 years
of the rebuild; a recorded work moves the later steps), written the way a ward's analyst would
write it in Python: lists, dicts and loops, no numpy. It reads the same registry CSV and prints
the best-of-seven compute seconds (reading the file excluded) and a checksum that must equal
civicdesk's.

usage: facilities_baseline.py projection FILE.csv FROM YEARS
       facilities_baseline.py levelling FILE.csv FROM YEARS
"""
import csv
import sys
import time

MAN = 10000
UNIT = {  # renovation, rebuild 円/㎡
    "市民文化系施設": (25, 40), "社会教育系施設": (25, 40), "スポーツ・レクリエーション系施設": (20, 36),
    "産業系施設": (25, 40), "学校教育系施設": (17, 33), "子育て支援施設": (17, 33),
    "保健・福祉施設": (20, 36), "医療施設": (25, 40), "行政系施設": (25, 40), "公営住宅": (17, 28),
    "公園": (17, 33), "供給処理施設": (20, 36), "その他": (20, 36),
}
# kind, at_age, duration, basis ("renovation"/"rebuild"), ratio, max_advance, max_delay
CYCLE = [("大規模改修", 30, 2, "renovation", 1.0, 5, 5), ("建替え", 60, 3, "rebuild", 1.0, 5, 5)]
BACKLOG_YEARS = 10
SKIP_WITHIN = 10
MAJOR = {"大規模改修", "長寿命化改修"}


def llround(x):
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def read(path):
    facilities = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            history = []
            for entry in filter(None, (row.get("works") or "").split(";")):
                parts = entry.split(":")
                history.append((int(parts[0]), parts[1]))
            facilities.append({
                "category": row["category"], "area": float(row["floor_area_sqm"]),
                "built": int(row["year_built"]), "history": history,
                "rebuild_age": int(row["rebuild_age"]) if row.get("rebuild_age") else None,
                "rebuild_unit": int(row["rebuild_yen_per_sqm"]) if row.get("rebuild_yen_per_sqm") else None,
            })
    return facilities


def same_step(recorded, planned):
    return recorded == planned or (recorded in MAJOR and planned in MAJOR)


def work_cost(facility, step):
    renovation, rebuild = UNIT[facility["category"]]
    kind, age, duration, basis, ratio, advance, delay = CYCLE[step]
    if basis == "renovation":
        per_sqm = float(renovation * MAN)
    else:
        per_sqm = float(facility["rebuild_unit"] or rebuild * MAN)
    return llround(per_sqm * ratio * facility["area"])


def schedule(facilities, start_year, years):
    end = start_year + years
    rebuild_index = len(CYCLE) - 1
    service_life = CYCLE[-1][1]
    works = []
    for f, facility in enumerate(facilities):
        def planned(step, due, start, overdue):
            kind, age, duration, basis, ratio, advance, delay = CYCLE[step]
            return {"facility": f, "kind": kind, "due": due, "start": start, "duration": duration,
                    "cost": work_cost(facility, step), "overdue": overdue,
                    "earliest": start if overdue else max(start_year, start - advance),
                    "latest": start if overdue else start + delay}
        base = facility["built"]
        for year, kind in facility["history"]:
            if kind == "建替え" and year > base:
                base = year
        life = facility["rebuild_age"] or service_life
        next_step, shift, latest = 0, 0, None
        for record in facility["history"]:
            if record[1] == "建替え" or record[0] < base:
                continue
            if latest is None or record[0] >= latest[0]:
                latest = record
        if latest is not None:
            best = 1 << 30
            for step in range(rebuild_index):
                if not same_step(latest[1], CYCLE[step][0]):
                    continue
                distance = abs(latest[0] - base - CYCLE[step][1])
                if distance < best:
                    best = distance
                    next_step = step + 1
                    shift = latest[0] - (base + CYCLE[step][1])
        rebuild_due = base + life
        if rebuild_due < start_year:
            works.append(planned(rebuild_index, rebuild_due, start_year, True))
            base = start_year + CYCLE[rebuild_index][2]
        else:
            first = len(works)
            overdue_work = None
            for step in range(next_step, rebuild_index):
                due = base + CYCLE[step][1] + shift
                if due >= rebuild_due or due >= end:
                    break
                if due < start_year:
                    overdue_work = planned(step, due, start_year, True)
                    continue
                works.append(planned(step, due, due, False))
            if overdue_work is not None and rebuild_due - start_year >= SKIP_WITHIN:
                works.insert(first, overdue_work)
            if rebuild_due >= end:
                continue
            works.append(planned(rebuild_index, rebuild_due, rebuild_due, False))
            base = rebuild_due + CYCLE[rebuild_index][2]
        while base < end:
            cycle_life = facility["rebuild_age"] or service_life
            for step in range(rebuild_index):
                due = base + CYCLE[step][1]
                if due >= end or CYCLE[step][1] >= cycle_life:
                    break
                works.append(planned(step, due, due, False))
            due = base + cycle_life
            if due >= end:
                break
            works.append(planned(rebuild_index, due, due, False))
            base = due + CYCLE[rebuild_index][2]
    return works


def spread(cost, first, n, start_year, years, row):
    part = cost // n
    for i in range(n):
        index = first + i - start_year
        if 0 <= index < years:
            row[index] += cost - part * (n - 1) if i == n - 1 else part


def project(facilities, start_year, years):
    works = schedule(facilities, start_year, years)
    rows = [[0] * years for _ in facilities]
    for work in works:
        if work["overdue"]:
            spread(work["cost"], start_year, BACKLOG_YEARS, start_year, years, rows[work["facility"]])
        else:
            spread(work["cost"], work["start"], work["duration"], start_year, years, rows[work["facility"]])
    by_category = {}
    for facility, row in zip(facilities, rows):
        totals = by_category.setdefault(facility["category"], [0] * years)
        for y in range(years):
            totals[y] += row[y]
    return works, rows, by_category


def level(works, rows, start_year, years):
    end = start_year + years
    before = [0] * years
    for row in rows:
        for y in range(years):
            before[y] += row[y]
    movables = []
    for work in works:
        if work["overdue"]:
            continue
        earliest = max(work["earliest"], start_year)
        latest = min(work["latest"], max(work["start"], end - work["duration"]))
        if latest <= earliest:
            continue
        parts = [0] * work["duration"]
        spread(work["cost"], 0, work["duration"], 0, work["duration"], parts)
        movables.append({"original": work["start"], "earliest": earliest, "latest": latest, "parts": parts})
    totals = list(before)

    def apply(movable, start, sign):
        for i, part in enumerate(movable["parts"]):
            index = start + i - start_year
            if 0 <= index < years:
                totals[index] += sign * part

    def cost_over(movable, a, b):
        n = len(movable["parts"])
        cost = 0.0
        first = min(a, b) - start_year
        last = max(a, b) + n - 1 - start_year
        for index in range(max(first, 0), min(last, years - 1) + 1):
            year = index + start_year
            if a <= year < a + n or b <= year < b + n:
                value = totals[index] / 1e6
                cost += value * value
        return cost

    starts = [m["original"] for m in movables]
    order = sorted(range(len(movables)), key=lambda m: -sum(movables[m]["parts"]))
    for _ in range(100):
        moved = False
        for m in order:
            movable = movables[m]
            current = starts[m]
            best_delta, best_start = 0.0, current
            for start in range(movable["earliest"], movable["latest"] + 1):
                if start == current:
                    continue
                at_current = cost_over(movable, current, start)
                apply(movable, current, -1)
                apply(movable, start, +1)
                at_start = cost_over(movable, current, start)
                apply(movable, start, -1)
                apply(movable, current, +1)
                delta = at_start - at_current
                if delta < best_delta - 1e-9 * max(1.0, at_current):
                    best_delta, best_start = delta, start
            if best_start != current:
                apply(movable, current, -1)
                apply(movable, best_start, +1)
                starts[m] = best_start
                moved = True
        if not moved:
            break
    return max(before), max(totals)


def main():
    mode, path, start_year, years = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    facilities = read(path)
    best = None
    for _ in range(7):
        began = time.perf_counter()
        works, rows, by_category = project(facilities, start_year, years)
        if mode == "levelling":
            peak_before, peak_after = level(works, rows, start_year, years)
        seconds = time.perf_counter() - began
        best = seconds if best is None else min(best, seconds)
    if mode == "projection":
        checksum = 0
        for totals in by_category.values():
            for y, value in enumerate(totals):
                checksum += (y + 1) * value
        print(f"{best:.6f} {checksum}")
    else:
        print(f"{best:.6f} {peak_before} {peak_after}")


if __name__ == "__main__":
    main()
