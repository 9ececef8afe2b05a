#!/usr/bin/env python3
"""Writes data/weather.csv: synthetic daily weather observations (no real measurements, so no licence).

Deterministic (seeded): running it again gives the same file. Each row is one station's day. The label,
`conditions`, depends on the season (only the `date` column tells it: there is no temperature column), on
humidity and pressure, and on the station (some stations are wetter or colder), so a model needs the date's
parts and the high-cardinality `station` column to do well.
"""
import csv
import datetime
import math
import os
import random

ROWS = 3000
STATIONS = 300
SEED = 20240229

rng = random.Random(SEED)
# Station ids with a skewed frequency (a few busy stations, a long tail), each with its own climate.
stations = [f"ST-{i:04d}" for i in range(STATIONS)]
weights = [1.0 / (1 + i) ** 0.8 for i in range(STATIONS)]
climate = {s: (rng.gauss(0, 4), rng.gauss(0, 0.8)) for s in stations}  # (temperature offset, wetness)
start = datetime.date(2016, 1, 1)
days = (datetime.date(2024, 12, 31) - start).days

rows = []
for _ in range(ROWS):
    day = start + datetime.timedelta(days=rng.randrange(days + 1))
    station = rng.choices(stations, weights)[0]
    offset, wetness = climate[station]
    doy = day.timetuple().tm_yday
    temperature = 8 - 12 * math.cos(2 * math.pi * (doy - 15) / 365.25) + offset + rng.gauss(0, 3)
    humidity = min(100, max(15, 60 + 12 * wetness + rng.gauss(0, 15)))
    pressure = 1013 - 8 * wetness + rng.gauss(0, 9)
    wind = max(0, rng.gauss(15 + 4 * wetness, 7))
    rain_score = 0.06 * (humidity - 70) - 0.12 * (pressure - 1010) + 0.5 * wetness + rng.gauss(0, 0.8)
    if rain_score > 1.0:
        conditions = "snow" if temperature < 0.5 else "rain"
    elif rain_score > -0.6 or humidity > 80:
        conditions = "cloudy"
    else:
        conditions = "sunny"
    rows.append({
        "date": day.isoformat(),
        "station": station,
        # About 2% of the dates and humidities are missing, as in a real log.
        "humidity": "" if rng.random() < 0.02 else f"{humidity:.1f}",
        "pressure_hpa": f"{pressure:.1f}",
        "wind_kmh": f"{wind:.1f}",
        "conditions": conditions,
    })
    if rng.random() < 0.02:
        rows[-1]["date"] = ""

rows.sort(key=lambda r: (r["date"] or "9999", r["station"]))
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "weather.csv")
with open(path, "w", newline="", encoding="utf-8") as f:
    writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
