#!/usr/bin/env python3
"""Synthetic corpora of co-production case studies, for casebook benchmarks.

    python3 bench/corpus.py --case-studies 100000 --organisations 2000 --seed 1 \\
        --out bench/out/corpus-100k.ndjson
    python3 bench/corpus.py --check bench/out/corpus-100k.ndjson

Writes NDJSON, one case study per line, in the shape of the API's case-study document with
partners given as {"organisation": {"name", "kind"}, "role"}. The same seed, counts and
code give the same file, byte for byte, whatever the number of worker processes.
Standard library only.
"""

import argparse
import bisect
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from itertools import accumulate

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus_places as places  # noqa: E402
import corpus_text as text  # noqa: E402

# --- The controlled lists (codes exactly as in src/domain/vocabulary.rs) -----------------

QUADRANTS = ["co-commissioning", "co-design", "co-delivery", "co-assessment"]
JOURNEY_STEPS = ["map-it", "focus-it", "people-it", "market-it", "grow-it"]
VALUES = ["equality", "mutual-benefit", "social-relationships", "access"]
SCALES = ["individual", "group", "community", "organisation"]
SECTORS = [
    "health", "social-care", "housing", "youth-work", "community-learning",
    "parks-and-environment", "community-safety", "alcohol-and-drugs", "disability",
    "older-people", "children-and-families", "local-government", "criminal-justice",
    "education", "other",
]
COUNTRIES = ["Scotland", "England", "Wales", "Northern Ireland", "other"]
STATUSES = ["draft", "submitted", "published", "archived"]
ROLES = ["lead", "partner", "funder", "community", "supporter"]
OUTCOME_CATEGORIES = [
    "improved-wellbeing", "independent-living", "reduced-isolation", "community-ownership",
    "service-redesign", "cost-saving", "capacity-building", "better-information",
    "voice-and-influence", "safer-communities", "improved-facilities",
    "employment-and-skills", "reduced-demand",
]
UNITS = ["people", "homes", "GBP", "percent", "organisations", "events", "other"]
KINDS = [
    "council", "nhs", "health-and-social-care-partnership", "housing-association",
    "voluntary", "community-group", "school", "college", "university", "social-enterprise",
    "charity", "police", "government", "business", "other",
]

# --- Limits (src/domain/case_study.rs, text.rs, organisation.rs) -------------------------

TITLE_MAX = 200
SUMMARY_MAX = 2_000
NARRATIVE_MAX = 20_000
LOCALITY_MAX = 200
OUTCOME_DESCRIPTION_MAX = 2_000
PARTNERS_MAX = 50
OUTCOMES_MAX = 50
SLUG_MAX = 100
NAME_MAX = 200
YEAR_MIN, YEAR_MAX = 1900, 2100
NARRATIVE_FIELDS = ["you_asked", "we_said", "we_did", "what_worked", "could_improve"]

# --- Distributions ------------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 2005, 2026

SECTOR_WEIGHTS = {
    "health": 14, "social-care": 12, "housing": 11, "youth-work": 8,
    "community-learning": 6, "parks-and-environment": 6, "community-safety": 4,
    "alcohol-and-drugs": 4, "disability": 7, "older-people": 8, "children-and-families": 7,
    "local-government": 5, "criminal-justice": 2.5, "education": 4, "other": 3,
}
SCALE_WEIGHTS = {"individual": 12, "group": 40, "community": 30, "organisation": 18}
SCALE_BOOSTS = {
    "social-care": {"individual": 2.5},
    "health": {"individual": 1.5},
    "disability": {"individual": 1.4},
    "parks-and-environment": {"community": 2.0, "individual": 0.2},
    "community-safety": {"community": 2.0, "individual": 0.3},
    "local-government": {"community": 1.6, "organisation": 2.2, "individual": 0.1},
    "education": {"organisation": 1.5},
}
QUADRANT_WEIGHTS = {"co-commissioning": 11, "co-design": 40, "co-delivery": 35, "co-assessment": 14}
QUADRANT_BOOSTS = {
    "social-care": {"co-assessment": 1.8},
    "education": {"co-assessment": 2.2},
    "youth-work": {"co-assessment": 1.8},
    "children-and-families": {"co-assessment": 2.0},
    "local-government": {"co-commissioning": 3.0},
    "alcohol-and-drugs": {"co-commissioning": 1.8},
    "community-learning": {"co-commissioning": 1.8},
    "parks-and-environment": {"co-delivery": 1.4},
}
QUADRANT_COUNT = {1: 44, 2: 42, 3: 14}
STEP_WEIGHTS = {"map-it": 20, "focus-it": 17, "people-it": 36, "market-it": 9, "grow-it": 18}
STEP_COUNT = {0: 30, 1: 36, 2: 24, 3: 10}
VALUE_WEIGHTS = {"equality": 31, "mutual-benefit": 19, "social-relationships": 27, "access": 23}
VALUE_COUNT = {0: 14, 1: 28, 2: 31, 3: 17, 4: 10}
STATUS_WEIGHTS = {"published": 90, "draft": 4, "submitted": 2, "archived": 4}
PARTNER_COUNT = {1: 10, 2: 22, 3: 27, 4: 20, 5: 12, 6: 9}
EXTRA_ROLE_WEIGHTS = {"partner": 50, "funder": 22, "supporter": 20, "community": 8}
COMMUNITY_FIRST = 0.68  # with 90% of case studies having a second partner: ~60% overall
OUTCOME_COUNT = {1: 24, 2: 36, 3: 26, 4: 14}
METRIC_SHARE = 0.5
COULD_IMPROVE_NULL = 0.4
YEAR_NULL = 0.1

OUTCOME_WEIGHTS = {
    "improved-wellbeing": 12, "independent-living": 4, "reduced-isolation": 7,
    "community-ownership": 5, "service-redesign": 14, "cost-saving": 4,
    "capacity-building": 12, "better-information": 8, "voice-and-influence": 13,
    "safer-communities": 2, "improved-facilities": 6, "employment-and-skills": 5,
    "reduced-demand": 3,
}
OUTCOME_BOOSTS = {
    "housing": {"independent-living": 4, "improved-facilities": 2.5, "community-ownership": 1.5},
    "health": {"improved-wellbeing": 2, "reduced-demand": 3, "service-redesign": 1.3},
    "social-care": {"independent-living": 3, "reduced-isolation": 1.5},
    "older-people": {"reduced-isolation": 4, "independent-living": 2},
    "youth-work": {"voice-and-influence": 2, "capacity-building": 1.5},
    "parks-and-environment": {"improved-facilities": 4, "community-ownership": 2},
    "community-safety": {"safer-communities": 10},
    "alcohol-and-drugs": {"improved-wellbeing": 1.5, "safer-communities": 2},
    "disability": {"better-information": 2.5, "independent-living": 2},
    "community-learning": {"capacity-building": 2, "employment-and-skills": 2.5},
    "local-government": {"voice-and-influence": 2.5, "community-ownership": 2},
    "criminal-justice": {"safer-communities": 3, "employment-and-skills": 2},
    "education": {"capacity-building": 1.5, "voice-and-influence": 1.5},
    "children-and-families": {"improved-wellbeing": 1.5, "voice-and-influence": 1.3},
    "other": {"community-ownership": 3, "improved-facilities": 2},
}

LEAD_KINDS = {
    "health": {"nhs": 40, "health-and-social-care-partnership": 15, "council": 8, "voluntary": 10, "charity": 8, "community-group": 4, "university": 3, "social-enterprise": 3, "other": 3},
    "social-care": {"council": 35, "health-and-social-care-partnership": 25, "voluntary": 12, "charity": 10, "community-group": 5, "nhs": 5, "social-enterprise": 4, "other": 3},
    "housing": {"housing-association": 50, "council": 28, "community-group": 6, "voluntary": 5, "charity": 5, "social-enterprise": 3, "government": 1},
    "youth-work": {"council": 35, "voluntary": 25, "charity": 12, "community-group": 12, "school": 6, "social-enterprise": 4, "police": 1},
    "community-learning": {"council": 40, "college": 15, "voluntary": 15, "community-group": 10, "charity": 6, "university": 3, "school": 5, "other": 4},
    "parks-and-environment": {"council": 35, "community-group": 25, "charity": 10, "voluntary": 8, "social-enterprise": 8, "school": 6, "other": 5},
    "community-safety": {"police": 30, "council": 30, "community-group": 10, "other": 12, "voluntary": 5, "housing-association": 5, "government": 3},
    "alcohol-and-drugs": {"other": 30, "nhs": 15, "health-and-social-care-partnership": 10, "voluntary": 15, "charity": 12, "community-group": 8, "council": 8},
    "disability": {"voluntary": 20, "council": 20, "charity": 15, "community-group": 12, "health-and-social-care-partnership": 10, "nhs": 8, "social-enterprise": 5},
    "older-people": {"council": 15, "health-and-social-care-partnership": 15, "voluntary": 20, "charity": 15, "community-group": 15, "nhs": 8, "housing-association": 5, "social-enterprise": 4},
    "children-and-families": {"council": 35, "nhs": 8, "voluntary": 15, "charity": 15, "school": 10, "community-group": 8, "health-and-social-care-partnership": 5},
    "local-government": {"council": 60, "other": 20, "community-group": 10, "government": 5, "voluntary": 5},
    "criminal-justice": {"council": 35, "government": 15, "voluntary": 15, "charity": 15, "police": 10, "community-group": 5, "social-enterprise": 5},
    "education": {"school": 45, "college": 15, "university": 15, "council": 15, "voluntary": 5, "community-group": 5},
    "other": {"community-group": 25, "council": 20, "social-enterprise": 15, "charity": 10, "voluntary": 10, "other": 10, "business": 5},
}
PARTNER_GENERAL = {
    "council": 10, "nhs": 6, "health-and-social-care-partnership": 4, "voluntary": 10,
    "charity": 8, "housing-association": 5, "police": 3, "school": 3, "college": 2,
    "university": 2, "social-enterprise": 3, "other": 5, "business": 2, "government": 2,
    "community-group": 3,
}
COMMUNITY_KINDS = {"community-group": 12, "voluntary": 1.5, "charity": 0.5}
SUPPORTER_KINDS = {
    "voluntary": 4, "university": 2, "charity": 2, "other": 3, "social-enterprise": 1,
    "college": 1, "government": 1.5, "business": 0.5,
}
FUNDER_WORDS = ("fund", "foundation", "charitable trust", "children in need", "comic relief",
                "lottery", "government", "robertson trust", "carnegie", "power to change")

TEXT_SKEW = 1.7  # head-heavy picks within every word pool
COMMUNITY_RANK_EXPONENT = 0.6
TOWN_SIZE_EXPONENT = 0.9
LOCAL_RANK_EXPONENT = 1.3  # popularity of local organisations within their area and kind
NATIONAL_FACTOR = {"country": 0.015, "UK": 0.006}  # national bodies beside local ones
TOWN_KINDS = {"community-group", "school", "social-enterprise"}  # usually from the story's own town
TOWN_SHARE = 0.85
# Chance that a local organisation is active: an area's first of a kind, then each later one.
ACTIVE_FIRST = {"community-group": 1.0, None: 0.3}
ACTIVE_LATER = {"community-group": 0.04, None: 0.04}
OCCASIONAL_SHARE = 0.03  # of partner slots given to an occasional local organisation
PUBLIC_KINDS = {"council", "nhs", "police", "health-and-social-care-partnership", "college", "university"}


# --- Small helpers ------------------------------------------------------------------------

class Weighted:
    """Items with weights, picked by bisection over cumulative weights."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weights):
        pairs = [(k, w) for k, w in (weights.items() if isinstance(weights, dict) else weights) if w > 0]
        self.items = [k for k, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1] if self.cum else 0.0

    def __bool__(self):
        return bool(self.items)

    def pick(self, rnd):
        i = bisect.bisect_right(self.cum, rnd() * self.total)
        return self.items[i if i < len(self.items) else -1]

    def sample(self, rnd, k):
        """k distinct items (fewer if there are not enough)."""
        if k >= len(self.items):
            return list(self.items)
        chosen = []
        while len(chosen) < k:
            item = self.pick(rnd)
            if item not in chosen:
                chosen.append(item)
        return chosen


def boosted(base, boosts):
    return {k: w * boosts.get(k, 1.0) for k, w in base.items()}


SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SLUG_FOLD = str.maketrans("àáâãäåçèéêëìíîïñòóôõöøùúûüýÿŵ", "aaaaaaceeeeiiiinoooooouuuuyyw")


def slugify(value, max_len):
    folded = value.lower().translate(_SLUG_FOLD)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rstrip("-")
    return slug


def join_words(words):
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "fifteen", "twenty"]
DURATIONS_BY_SPAN = {
    0: ["six months", "nine months", "a year", "a few months"],
    1: ["a year", "eighteen months", "two years", "fifteen months"],
    2: ["two years", "two and a half years", "three years"],
    3: ["three years", "nearly four years", "four years"],
}


def fmt_int(n):
    return f"{n:,}"


def fmt_money(value, rnd):
    if value >= 1_000_000 and rnd() < 0.6:
        return f"£{value / 1_000_000:.1f}m".replace(".0m", "m")
    if value >= 10_000 and value % 1000 == 0 and rnd() < 0.3:
        return f"£{value // 1000}k"
    return f"£{value:,}"


def nice_round(value):
    """Round to two significant figures, as people quote sums of money."""
    if value < 100:
        return int(value)
    digits = int(math.log10(value)) - 1
    step = 10 ** digits
    return int(round(value / step) * step)


def money_value(rnd):
    return nice_round(math.exp(rnd() * (math.log(2_500_000) - math.log(1_500)) + math.log(1_500)) ** 1.0)


def people_value(rnd):
    r = rnd()
    if r < 0.5:
        n = 6 + int(rnd() * 55)
    elif r < 0.85:
        n = 60 + int(rnd() * 200)
    else:
        n = 250 + int(rnd() ** 2 * 2500)
    if n > 100:
        n = n - n % 5
    return n


def num_people(R):
    rnd = R.random
    n = people_value(rnd)
    r = rnd()
    if r < 0.12:
        return f"over {fmt_int(n)}"
    if r < 0.2:
        return f"more than {fmt_int(n)}"
    if r < 0.25:
        return f"nearly {fmt_int(n)}"
    if r < 0.3:
        return f"around {fmt_int(n)}"
    return fmt_int(n)


def num_small(R):
    if R.random() < 0.75:
        return NUMBER_WORDS[int(len(NUMBER_WORDS) * R.random() ** 1.5)]
    return str(2 + int(R.random() * 18))


NUMBERS = {
    "num_people": num_people,
    "num_small": num_small,
    "money": lambda R: fmt_money(money_value(R.random), R.random),
    "hours": lambda R: fmt_int(nice_round(100 + R.random() ** 2 * 6000)),
    "num_events": lambda R: str(4 + int(R.random() ** 1.5 * 90)),
    "month_gap": lambda R: R.choice(["month", "six weeks", "quarter", "two months", "fortnight"]),
    "pct": lambda R: f"{5 + int(R.random() * 80)}%",
    "num_even": lambda R: R.choice(["six", "eight", "ten", "twelve", "14", "16"]),
}


# --- The world: places and organisations -------------------------------------------------

class World:
    """Areas, organisations and the pools case studies draw partners from."""

    def __init__(self, n_organisations, seed):
        R = random.Random(f"casebook-corpus:organisations:{seed}")
        rnd = R.random
        self.areas = places.load_areas()
        self.area_pick = Weighted([(i, a["weight"]) for i, a in enumerate(self.areas)])
        self.countries_present = {a["country"] for a in self.areas} | {"UK"}

        names = []  # [name, kind, scope, areas, prominence]; scope "area", a country or "UK"
        seen = {}

        def add(name, kind, scope, area=None, prominence=1.0, town=None, hood=None):
            key = name.lower()
            if key in seen:
                org = names[seen[key]]
                if area is not None:
                    org[3].add(area)
                return False
            if len(name) > NAME_MAX or "\n" in name:
                return False
            seen[key] = len(names)
            names.append([name, kind, scope, {area} if area is not None else set(), prominence, town, hood])
            return True

        # Public bodies first, the most prominent first, so a small --organisations keeps them.
        by_weight = sorted(range(len(self.areas)), key=lambda i: -self.areas[i]["weight"])
        national = places.load_national()
        for i in by_weight:
            add(self.areas[i]["council"], "council", "area", i)
        for i in by_weight:
            a = self.areas[i]
            if a["health"]:
                add(a["health"], "nhs", "area", i)
            if a["police"]:
                add(a["police"], "police", "area", i)
        for scope, name, kind, prominence in sorted(national, key=lambda b: -b[3]):
            if prominence >= 3 and scope in self.countries_present:
                add(name, kind, scope, None, prominence)
        for i in by_weight:
            a = self.areas[i]
            if a["country"] == "Scotland":
                add(f"{a['label']} Health and Social Care Partnership",
                    "health-and-social-care-partnership", "area", i)
            for college in a["colleges"]:
                add(college, "college", "area", i)
            for university in a["universities"]:
                add(university, "university", "area", i)
        for scope, name, kind, prominence in sorted(national, key=lambda b: -b[3]):
            if prominence < 3 and scope in self.countries_present:
                add(name, kind, scope, None, prominence)
        names = names[:n_organisations]
        seen = {org[0].lower(): j for j, org in enumerate(names)}

        # Then local organisations, named after their place, until there are enough.
        patterns = places.local_patterns()
        kind_pick = Weighted(places.LOCAL_KIND_WEIGHTS)
        local_area_pick = Weighted([(i, a["weight"] ** 0.8) for i, a in enumerate(self.areas)])
        attempts = 0
        while len(names) < n_organisations and attempts < 200 * n_organisations + 10_000:
            attempts += 1
            i = local_area_pick.pick(rnd)
            a = self.areas[i]
            kind = kind_pick.pick(rnd)
            options = [p for nation, p in patterns[kind] if nation in (None, a["country"])]
            pattern = options[int(len(options) * rnd() ** 1.3)]
            town, hoods = a["towns"][int(len(a["towns"]) * rnd() ** 1.8)]
            hood = hoods[int(len(hoods) * rnd())] if hoods and rnd() < 0.75 else town
            name = pattern.format(
                short=a["short"], town=town, hood=hood,
                surname=places.SURNAMES[int(len(places.SURNAMES) * rnd())],
                surname2=places.SURNAMES[int(len(places.SURNAMES) * rnd())],
                saint=places.SAINTS[int(len(places.SAINTS) * rnd())],
                emblem=places.EMBLEMS[int(len(places.EMBLEMS) * rnd())],
                cause=places.CAUSES[int(len(places.CAUSES) * rnd() ** 1.4)],
                park=places.PARKS[int(len(places.PARKS) * rnd())],
                welsh=places.WELSH_WORDS[int(len(places.WELSH_WORDS) * rnd())],
            )
            if "{surname} and {surname2}" in pattern and name.count(" and ") and \
                    name.split(" and ")[0] == name.split(" and ")[1].split(" ")[0]:
                continue
            named_town = town if ("{town}" in pattern or "{hood}" in pattern) else None
            named_hood = hood if ("{hood}" in pattern and hood != town) else None
            add(name, kind, "area", i, town=named_town, hood=named_hood)
        self.organisations = [(o[0], o[1]) for o in names]
        self.org_json = [{"name": o[0], "kind": o[1]} for o in names]
        self.kind_of = [o[1] for o in names]
        self.town_of = [o[5] for o in names]  # the town a local organisation is named after
        self.hood_of = [o[6] for o in names]
        for a in self.areas:
            a["hoods"] = dict(a["towns"])

        # Pools: for every area and kind, the organisations a case study there may name.
        # Public bodies and the first few local organisations of each town (or of the area,
        # for those not named after a town) are active: they take part again and again.
        # The rest are occasional partners, named in a handful of case studies each.
        in_town = defaultdict(list)  # (area, town, kind) -> org indices in creation order
        area_wide = defaultdict(list)  # (area, kind) -> local org indices not named after a town
        national_by = defaultdict(list)  # (scope, kind) -> [(org, prominence)]
        for j, (name, kind, scope, areas, prominence, town, _hood) in enumerate(names):
            if scope == "area":
                for i in sorted(areas):
                    if town is not None:
                        in_town[(i, town, kind)].append(j)
                    else:
                        area_wide[(i, kind)].append(j)
            else:
                national_by[(scope, kind)].append((j, prominence))
        by_area = defaultdict(list)  # (area, kind) -> every local org index, in creation order
        for key, members in list(in_town.items()):
            by_area[(key[0], key[2])].extend(members)
        for key, members in area_wide.items():
            by_area[key].extend(members)
        active = set()
        local = defaultdict(list)  # (area, kind) -> active local org indices
        occasional = defaultdict(list)  # area -> [(org, weight)]
        occasional_town = defaultdict(list)  # (area, town) -> [(org, weight)]
        for (i, kind), members in sorted(by_area.items()):
            # The bigger the town an organisation is named after, the busier it tends to be.
            town_rank = {t: r for r, (t, _) in enumerate(self.areas[i]["towns"])}
            members.sort(key=lambda j: (town_rank.get(names[j][5], 0) if names[j][5] else 0, j))
            first = ACTIVE_FIRST.get(kind, ACTIVE_FIRST[None])
            later = ACTIVE_LATER.get(kind, ACTIVE_LATER[None])
            towns_seen = set()
            for rank, j in enumerate(members):
                # Every town's (and neighbourhood's) first community group is active; so is an
                # area's first organisation of each other kind.
                place = (names[j][5], names[j][6])  # town and neighbourhood
                town_first = kind == "community-group" and place not in towns_seen
                towns_seen.add(place)
                if kind in PUBLIC_KINDS or town_first or rnd() < (first if rank == 0 else later):
                    active.add(j)
                    local[(i, kind)].append(j)
                else:
                    weight = 1.0 / (rank + 1) ** 0.5
                    occasional[i].append((j, weight))
                    if names[j][5] is not None:
                        occasional_town[(i, names[j][5])].append((j, weight))
        self.occasional = {i: Weighted(v) for i, v in occasional.items()}
        self.occasional_town = {k: Weighted(v) for k, v in occasional_town.items()}

        # Organisations of bigger towns (listed first in each area) take part more often.
        town_factor = [1.0] * len(names)
        for j, org in enumerate(names):
            if org[5] is not None and org[3]:
                towns = [t for t, _ in self.areas[min(org[3])]["towns"]]
                if org[5] in towns:
                    town_factor[j] = 1.0 / (towns.index(org[5]) + 1) ** TOWN_SIZE_EXPONENT

        def ranked(members):
            # Community groups share their area's stories more evenly than bigger bodies do.
            return [(j, town_factor[j] / (rank + 1) ** (COMMUNITY_RANK_EXPONENT if self.kind_of[j] == "community-group"
                                                        else LOCAL_RANK_EXPONENT))
                    for rank, j in enumerate(members)]

        self.pools = []  # area -> kind -> Weighted, national bodies included
        self.local_pools = []  # area -> kind -> Weighted, local bodies only
        self.town_pools = {
            key: Weighted(ranked([j for j in members if j in active])) for key, members in in_town.items()
        }
        self.town_pools = {k: v for k, v in self.town_pools.items() if v}
        self.area_wide_pools = {
            key: Weighted(ranked([j for j in members if j in active])) for key, members in area_wide.items()
        }
        self.area_wide_pools = {k: v for k, v in self.area_wide_pools.items() if v}
        self.any_pool = []
        self.funders = []
        for i, a in enumerate(self.areas):
            pools, local_pools = {}, {}
            everything = []
            for kind in KINDS:
                weights = ranked(local[(i, kind)])
                if weights:
                    local_pools[kind] = Weighted(weights)
                # National bodies stand beside local ones; they do not fill a gap on their own.
                if weights or kind == "government":
                    for scope, factor in ((a["country"], NATIONAL_FACTOR["country"]), ("UK", NATIONAL_FACTOR["UK"])):
                        for j, prominence in national_by[(scope, kind)]:
                            weights.append((j, prominence * factor))
                if weights:
                    pools[kind] = Weighted(weights)
                    everything.extend(weights)
            self.pools.append(pools)
            self.local_pools.append(local_pools)
            self.any_pool.append(Weighted(everything))
            self.funders.append(self._funders(i, a, names, local, national_by))
        self.all_pool = Weighted([(j, 1.0) for j in range(len(names))])

    def _funders(self, i, a, names, local, national_by):
        """Two funder pools for an area: before the lottery's 2019 rename, and after."""
        eras = []
        for recent in (False, True):
            weights = []
            for kind, w in (("council", 3.0), ("nhs", 1.0), ("health-and-social-care-partnership", 0.7)):
                for rank, j in enumerate(local[(i, kind)]):
                    weights.append((j, w / (rank + 1)))
            for kind in KINDS:
                for rank, j in enumerate(local[(i, kind)]):
                    if kind in ("council", "nhs", "health-and-social-care-partnership"):
                        continue
                    if any(word in names[j][0].lower() for word in FUNDER_WORDS):
                        weights.append((j, 0.8 / (rank + 1) ** 0.5))
                for scope in (a["country"], "UK"):
                    for j, prominence in national_by[(scope, kind)]:
                        name = names[j][0].lower()
                        if kind == "government":
                            weights.append((j, prominence * 0.35))
                        elif name == "big lottery fund":
                            weights.append((j, 12.0 if not recent else 0.3))
                        elif name == "national lottery community fund":
                            weights.append((j, 12.0 if recent else 0.6))
                        elif any(word in name for word in FUNDER_WORDS):
                            weights.append((j, prominence * 0.6))
            eras.append(Weighted(weights) if weights else self_any(names))
        return eras

    def pick_occasional(self, rnd, area, town, used):
        """An occasional local organisation, from the story's own town when there is one."""
        pool = self.occasional_town.get((area, town)) if rnd() < 0.7 else None
        pool = pool or self.occasional.get(area)
        if pool:
            j = pool.pick(rnd)
            if j not in used:
                return j
        return None

    def pick(self, rnd, area, kinds, used, town=None, local_only=False, fallback=True):
        """An organisation of one of `kinds` (a Weighted of kinds) serving `area`, usually
        from `town` itself when the kind is a neighbourhood one."""
        pools = self.local_pools[area] if local_only else self.pools[area]
        for _ in range(8):
            kind = kinds.pick(rnd)
            if town is not None and kind in TOWN_KINDS and rnd() < TOWN_SHARE:
                # A neighbourhood group belongs to the story's town, or to the whole area.
                pool = self.town_pools.get((area, town, kind)) or self.area_wide_pools.get((area, kind))
                if pool:
                    j = pool.pick(rnd)
                    if j not in used:
                        return j
            pool = pools.get(kind)
            if pool:
                for _ in range(4):
                    j = pool.pick(rnd)
                    if j not in used:
                        return j
        if not fallback:
            return None
        for pool in (self.any_pool[area], self.all_pool):
            for _ in range(20):
                j = pool.pick(rnd)
                if j not in used:
                    return j
        return None


def self_any(names):
    return Weighted([(j, 1.0) for j in range(len(names))])


# --- Text ---------------------------------------------------------------------------------

SECTOR_POOLS = text.sector_pools()
GENERAL_POOLS = text.general_pools()
GENERAL_POOLS.setdefault("method_short", ["survey", "door-to-door survey", "street survey", "questionnaire", "postal survey"])
GENERAL_POOLS.setdefault("quote_intro", ["One parent said", "A tenant summed it up", "In the words of one volunteer", "One young person told us", "As a carer put it"])
GENERAL_POOLS.setdefault("surname", places.SURNAMES)
GENERAL_POOLS.setdefault("saint", places.SAINTS)
GENERAL_POOLS.setdefault("emblem", places.EMBLEMS)
PEOPLE_SELF = 0.7
PEOPLE_REFS = ["local people", "participants", "residents", "members of the group", "the people involved",
               "people with lived experience", "community members"]
GENERIC_COMMUNITY = ["a group of local residents", "people who use the service", "a small group of volunteers"]
GENERIC_FUNDERS = ["a small grants fund", "the partners' own budgets", "a community benefit fund", "the area partnership"]
GENERIC_PARTNERS = ["local partners", "partner agencies", "other local services", "the wider partnership"]

YEAR_SLOTS = ("{start_year}", "{mid_year}", "{end_phrase}")


class Templates:
    """One list of sentence templates, split by whether a case study has years and values."""

    def __init__(self, block):
        self.all = text.lines(block)
        self.variants = {}
        for has_year in (False, True):
            for has_values in (False, True):
                self.variants[(has_year, has_values)] = [
                    t for t in self.all
                    if (has_year or not any(s in t for s in YEAR_SLOTS))
                    and (has_values or "{values_phrase}" not in t)
                ]

    def get(self, has_year, has_values):
        return self.variants[(has_year, has_values)]


T_SUMMARY_OPEN = Templates(text.SUMMARY_OPEN)
T_SUMMARY_BODY = Templates(text.SUMMARY_BODY)
T_YOU_ASKED_OPEN = Templates(text.YOU_ASKED_OPEN)
T_YOU_ASKED_BODY = Templates(text.YOU_ASKED_BODY)
T_WE_SAID_OPEN = Templates(text.WE_SAID_OPEN)
T_WE_SAID_BODY = Templates(text.WE_SAID_BODY)
T_WE_DID_OPEN = Templates(text.WE_DID_OPEN)
T_WE_DID_BODY = Templates(text.WE_DID_BODY)
T_WE_DID_CLOSE = Templates(text.WE_DID_CLOSE)
T_WHAT_WORKED = Templates(text.WHAT_WORKED)
T_COULD_IMPROVE = Templates(text.COULD_IMPROVE)
T_TITLE = text.lines(text.TITLE_TEMPLATES)


class Fill(dict):
    """The slots of one case study: fixed ones stored, every other one drawn on demand."""

    __slots__ = ("R", "rnd", "spools", "seen", "people")

    def __missing__(self, key):
        if key == "people":
            # The story's own group most of the time; otherwise a plain way of referring to them.
            if self.rnd() < PEOPLE_SELF:
                return self.people
            return PEOPLE_REFS[int(len(PEOPLE_REFS) * self.rnd() ** 1.5)]
        base = key.rstrip("0123456789")
        if base.endswith("_cap"):
            value = self[base[:-4]]
            return value[:1].upper() + value[1:]
        number = NUMBERS.get(base)
        if number is not None:
            return number(self.R)
        pool = self.spools.get(base) or GENERAL_POOLS.get(base)
        if pool is None:
            if base != key:
                return self[base]
            raise KeyError(key)
        # Avoid saying the same thing twice in one story, as a writer would.
        n = len(pool)
        rnd = self.rnd
        seen = self.seen
        for _ in range(4):
            item = pool[int(n * rnd() ** TEXT_SKEW)]
            if item not in seen:
                break
        seen.add(item)
        if "{" in item:
            item = item.format_map(self)
        return item


def sentence(template, fill):
    s = template.format_map(fill)
    return s[:1].upper() + s[1:] if s[:1].islower() else s


def paragraph(fill, R, opener, body, k, closer=None):
    parts = []
    if opener is not None:
        parts.append(sentence(opener[int(len(opener) * R.random())], fill))
    if k > 0 and body:
        rnd = R.random
        pool = list(body)
        n = len(pool)
        for i in range(min(k, n)):
            j = i + int(rnd() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
            parts.append(sentence(pool[i], fill))
    if closer:
        parts.append(sentence(closer[int(len(closer) * R.random())], fill))
    return " ".join(parts)


# --- Case studies -------------------------------------------------------------------------

class Generator:
    def __init__(self, world, all_published=False):
        self.w = world
        self.sector_pick = Weighted(SECTOR_WEIGHTS)
        self.scale_pick = {s: Weighted(boosted(SCALE_WEIGHTS, SCALE_BOOSTS.get(s, {}))) for s in SECTORS}
        self.quadrant_pick = {s: Weighted(boosted(QUADRANT_WEIGHTS, QUADRANT_BOOSTS.get(s, {}))) for s in SECTORS}
        self.outcome_pick = {s: Weighted(boosted(OUTCOME_WEIGHTS, OUTCOME_BOOSTS.get(s, {}))) for s in SECTORS}
        self.lead_kinds = {s: Weighted(LEAD_KINDS[s]) for s in SECTORS}
        self.partner_kinds = {
            s: Weighted({k: PARTNER_GENERAL.get(k, 0) + 0.6 * LEAD_KINDS[s].get(k, 0) for k in KINDS})
            for s in SECTORS
        }
        self.community_kinds = Weighted(COMMUNITY_KINDS)
        self.supporter_kinds = Weighted(SUPPORTER_KINDS)
        self.quadrant_count = Weighted(QUADRANT_COUNT)
        self.step_pick = Weighted(STEP_WEIGHTS)
        self.step_count = Weighted(STEP_COUNT)
        self.value_pick = Weighted(VALUE_WEIGHTS)
        self.value_count = Weighted(VALUE_COUNT)
        self.status_pick = Weighted({"published": 1} if all_published else STATUS_WEIGHTS)
        self.partner_count = Weighted(PARTNER_COUNT)
        self.extra_role = Weighted(EXTRA_ROLE_WEIGHTS)
        self.outcome_count = Weighted(OUTCOME_COUNT)
        self.year_pick = Weighted({y: (y - FIRST_YEAR + 2) ** 1.6 * (0.5 if y == LAST_YEAR else 1.0)
                                   for y in range(FIRST_YEAR, LAST_YEAR + 1)})
        self.span_pick = Weighted({0: 20, 1: 35, 2: 25, 3: 12, 4: 5, 5: 3})

    def place(self, R, area, town=None, hood=None):
        """(locality, the most specific place, town): the town of the partner the story is
        anchored on, when there is one, else a town of the area (the larger ones more often)."""
        a = self.w.areas[area]
        rnd = R.random
        if town is None:
            towns = a["towns"]
            town, hoods = towns[int(len(towns) * rnd() ** 1.7)]
        else:
            hoods = a["hoods"].get(town, [])
        label = a["label"]
        r = rnd()
        if r < 0.03:
            return None, town, town
        if r < 0.1 and hood is None:
            return label, label, town
        same = town == label.split(",")[0]
        if hood is not None and hood in hoods and rnd() < 0.6:
            locality = f"{hood}, {label}" if same else f"{hood}, {town}, {label}"
            return locality, hood, town
        if hoods and rnd() < 0.5:
            hood = hoods[int(len(hoods) * rnd() ** 1.3)]
            locality = f"{hood}, {label}" if same else f"{hood}, {town}, {label}"
            return locality, hood, town
        return (label if same else f"{town}, {label}"), town, town

    def years(self, R):
        rnd = R.random
        if rnd() < YEAR_NULL:
            return None, None
        start = self.year_pick.pick(rnd)
        ongoing = 0.08 + 0.62 * max(0, start - 2017) / (LAST_YEAR - 2017)
        if rnd() < ongoing:
            return start, None
        return start, min(start + self.span_pick.pick(rnd), LAST_YEAR)

    def partners(self, R, area, sector, start_year):
        """The partners, lead first, and the (town, neighbourhood) the first of them that is
        named after a place belongs to: the story happens there."""
        w = self.w
        rnd = R.random
        used = set()
        roles = []
        town = hood = None

        def anchor(j):
            nonlocal town, hood
            if town is None and w.town_of[j] is not None:
                town, hood = w.town_of[j], w.hood_of[j]

        lead = w.pick(rnd, area, self.lead_kinds[sector], used, town)
        used.add(lead)
        roles.append((lead, "lead"))
        anchor(lead)
        n = self.partner_count.pick(rnd)
        for slot in range(1, n):
            if slot == 1:
                role = "community" if rnd() < COMMUNITY_FIRST else self.extra_role.pick(rnd)
            else:
                role = self.extra_role.pick(rnd)
            if role != "funder" and rnd() < OCCASIONAL_SHARE:
                j = w.pick_occasional(rnd, area, town, used)
                if j is not None:
                    used.add(j)
                    kind = w.kind_of[j]
                    roles.append((j, "community" if kind == "community-group" else
                                  "supporter" if rnd() < 0.3 else "partner"))
                    anchor(j)
                    continue
            if role == "funder":
                recent = start_year is None or start_year >= 2019
                pool = w.funders[area][1 if recent else 0]
                j = None
                for _ in range(6):
                    c = pool.pick(rnd)
                    if c not in used:
                        j = c
                        break
            elif role == "community":
                j = w.pick(rnd, area, self.community_kinds, used, town, local_only=True, fallback=False)
            elif role == "supporter":
                j = w.pick(rnd, area, self.supporter_kinds, used, town)
            else:
                j = w.pick(rnd, area, self.partner_kinds[sector], used, town)
            if j is None:
                continue
            used.add(j)
            roles.append((j, role))
            anchor(j)
        return roles, town, hood

    def metric(self, R, category):
        rnd = R.random
        units = [u for u in text.OUTCOMES[category] if u is not None]
        if not units or rnd() >= METRIC_SHARE:
            return None, None
        unit = units[int(len(units) * rnd())]
        if unit == "people":
            value = people_value(rnd)
        elif unit == "homes":
            value = 2 + int(rnd() ** 2 * 120)
        elif unit == "GBP":
            value = money_value(rnd)
        elif unit == "percent":
            value = 5 + int(rnd() * 75)
        elif unit == "organisations":
            value = 2 + int(rnd() ** 1.5 * 40)
        elif unit == "events":
            value = 4 + int(rnd() ** 1.5 * 120)
        else:
            value = nice_round(200 + rnd() ** 2 * 8000)
        return value, unit

    def case_study(self, R, index):
        w = self.w
        rnd = R.random
        sector = self.sector_pick.pick(rnd)
        area = w.area_pick.pick(rnd)
        a = w.areas[area]
        scale = self.scale_pick[sector].pick(rnd)
        quadrants = self.quadrant_pick[sector].sample(rnd, self.quadrant_count.pick(rnd))
        steps = self.step_pick.sample(rnd, self.step_count.pick(rnd))
        values = self.value_pick.sample(rnd, self.value_count.pick(rnd))
        start_year, end_year = self.years(R)
        roles, anchor_town, anchor_hood = self.partners(R, area, sector, start_year)
        locality, place, town = self.place(R, area, anchor_town, anchor_hood)

        # The slots fixed for this story.
        sp = SECTOR_POOLS[sector]
        fill = Fill()
        fill.R = R
        fill.rnd = rnd
        fill.spools = sp
        fill.seen = set()

        def pick(pool):
            return pool[int(len(pool) * rnd() ** TEXT_SKEW)]

        names = [w.organisations[j][0] for j, _ in roles]
        by_role = defaultdict(list)
        for (j, role) in roles:
            by_role[role].append(w.organisations[j][0])
        others = by_role["partner"] + by_role["supporter"]
        people = pick(sp["people"])
        fill["lead"] = names[0]
        fill["partner"] = others[0] if others else pick(GENERIC_PARTNERS)
        fill["partner2"] = others[1] if len(others) > 1 else pick(GENERIC_PARTNERS)
        fill["community"] = by_role["community"][0] if by_role["community"] else (
            "a group of " + people if rnd() < 0.6 and not people.startswith(("the ", "members "))
            else pick(GENERIC_COMMUNITY))
        fill["funder"] = by_role["funder"][0] if by_role["funder"] else pick(GENERIC_FUNDERS)
        fill["place"] = place
        fill["town"] = town
        fill["area"] = a["label"].split(",")[0]
        fill.people = people
        fill["person"] = pick(sp["person"])
        service = pick(sp["service"])
        fill["service"] = service
        fill["service_bare"] = service[4:] if service.startswith("the ") else service
        fill["staff"] = pick(sp["staff"])
        fill["venue"] = pick(sp["venue"])
        fill["issue"] = pick(sp["issue"])
        fill["aim"] = pick(sp["aim"])
        fill["asset"] = pick(GENERAL_POOLS["asset"]) if rnd() < 0.5 else fill["venue"]
        span = (end_year - start_year) if (start_year and end_year) else None
        if span is None:
            fill["duration"] = pick(["two years", "eighteen months", "a year", "the first year", "six months", "three years"])
        else:
            fill["duration"] = pick(DURATIONS_BY_SPAN.get(span, [f"{NUMBER_WORDS[min(span, 12) - 2]} years"]))
        has_year = start_year is not None
        if has_year:
            fill["start_year"] = str(start_year)
            last = end_year if end_year else min(start_year + 2, LAST_YEAR)
            fill["mid_year"] = str(start_year + (last - start_year + 1) // 2)
            fill["end_phrase"] = str(end_year) if end_year else "today"
        else:
            fill["end_phrase"] = "the end of the current funding round"
        has_values = bool(values)
        if has_values:
            fill["values_phrase"] = join_words([v.replace("-", " ") for v in VALUES if v in values])

        # Outcomes first, so the summary can quote a figure.
        outcomes = []
        for category in self.outcome_pick[sector].sample(rnd, self.outcome_count.pick(rnd)):
            value, unit = self.metric(R, category)
            templates = text.OUTCOMES[category][unit]
            if unit is not None:
                fill["v"] = fmt_int(value)
                if unit == "GBP":
                    fill["money"] = fmt_money(value, rnd)
            description = sentence(templates[int(len(templates) * rnd())], fill)
            fill.pop("v", None)
            fill.pop("money", None)
            outcomes.append({
                "category": category,
                "description": description,
                "metric": {"value": value, "unit": unit} if unit is not None else None,
            })

        hy, hv = has_year, has_values
        measured = [o for o in outcomes if o["metric"]]
        quote_figure = measured and rnd() < 0.6
        summary = paragraph(fill, R, T_SUMMARY_OPEN.get(hy, hv), T_SUMMARY_BODY.get(hy, hv),
                            1 if quote_figure or rnd() < 0.4 else 2)
        if quote_figure:
            summary += " " + measured[0]["description"]
        you_asked = paragraph(fill, R, T_YOU_ASKED_OPEN.get(hy, hv), T_YOU_ASKED_BODY.get(hy, hv), 4 + int(rnd() * 5))
        we_said = paragraph(fill, R, T_WE_SAID_OPEN.get(hy, hv), T_WE_SAID_BODY.get(hy, hv), 3 + int(rnd() * 4))
        we_did = paragraph(fill, R, T_WE_DID_OPEN.get(hy, hv), T_WE_DID_BODY.get(hy, hv), 8 + int(rnd() * 6),
                           T_WE_DID_CLOSE.get(hy, hv) if rnd() < 0.7 else None)
        what_worked = paragraph(fill, R, None, T_WHAT_WORKED.get(hy, hv), 3 + int(rnd() * 3))
        could_improve = None
        if rnd() >= COULD_IMPROVE_NULL:
            could_improve = paragraph(fill, R, None, T_COULD_IMPROVE.get(hy, hv), 2 + int(rnd() * 3))

        fill["people"] = people  # titles name the story's own group
        title = sentence(T_TITLE[int(len(T_TITLE) * rnd() ** 1.2)].replace("{title}", pick(sp["title"])), fill)
        del fill["people"]
        title = " ".join(title.split())
        if len(title) > TITLE_MAX:
            title = title[:TITLE_MAX].rsplit(" ", 1)[0]
        suffix = str(index + 1)
        base = slugify(title, SLUG_MAX - len(suffix) - 1) or "case-study"
        slug = f"{base}-{suffix}"

        return {
            "slug": slug,
            "title": title,
            "summary": summary[:SUMMARY_MAX],
            "you_asked": you_asked,
            "we_said": we_said,
            "we_did": we_did,
            "what_worked": what_worked,
            "could_improve": could_improve,
            "quadrants": [q for q in QUADRANTS if q in quadrants],
            "journey_steps": [s for s in JOURNEY_STEPS if s in steps],
            "values": [v for v in VALUES if v in values],
            "scale": scale,
            "sector": sector,
            "locality": locality,
            "country": a["country"],
            "start_year": start_year,
            "end_year": end_year,
            "status": self.status_pick.pick(rnd),
            "partners": [{"organisation": w.org_json[j], "role": role} for j, role in roles],
            "outcomes": outcomes,
        }


# --- Generation, in chunks that any number of processes can make -------------------------

CHUNK = 2_000
_STATE = {}


def _init(organisations, seed, all_published):
    world = World(organisations, seed)
    _STATE["gen"] = Generator(world, all_published)
    _STATE["seed"] = seed


def _chunk(args):
    chunk, count = args
    gen = _STATE["gen"]
    R = random.Random(_STATE["seed"] * 1_000_003 + chunk)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    start = chunk * CHUNK
    return "".join(dumps(gen.case_study(R, start + k)) + "\n" for k in range(count))


def generate(args):
    n = args.case_studies
    chunks = [(c, min(CHUNK, n - c * CHUNK)) for c in range((n + CHUNK - 1) // CHUNK)]
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    tmp = args.out + ".partial"
    t0 = time.monotonic()
    done = 0
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        if args.jobs <= 1 or len(chunks) <= 1:
            _init(args.organisations, args.seed, args.all_published)
            results = map(_chunk, chunks)
            pool = None
        else:
            import multiprocessing
            pool = multiprocessing.Pool(args.jobs, _init, (args.organisations, args.seed, args.all_published))
            results = pool.imap(_chunk, chunks)
        try:
            for block in results:
                out.write(block)
                done += block.count("\n")
                if args.progress and sys.stderr.isatty():
                    print(f"\r{done:,}/{n:,}", end="", file=sys.stderr)
        finally:
            if pool is not None:
                pool.close()
                pool.join()
    os.replace(tmp, args.out)
    elapsed = time.monotonic() - t0
    size = os.path.getsize(args.out)
    if args.progress and sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"wrote {done:,} case studies ({size / 1e6:.1f} MB) to {args.out} in {elapsed:.1f}s "
          f"with {max(1, args.jobs)} process(es)", file=sys.stderr)


# --- Checking a corpus --------------------------------------------------------------------

EXPECTED_KEYS = {
    "slug", "title", "summary", *NARRATIVE_FIELDS, "quadrants", "journey_steps", "values",
    "scale", "sector", "locality", "country", "start_year", "end_year", "status",
    "partners", "outcomes",
}
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
FIGURE_RE = re.compile(r"\d[\d,.]*")
EXPECTED_UNITS = {
    "independent-living": {"homes", "people"},
    "cost-saving": {"GBP"},
    "reduced-isolation": {"people", "events"},
    "safer-communities": {"percent"},
    "improved-facilities": {"GBP", "other"},
}


class CheckState:
    """What one pass over part of a corpus learns; parts merge into the whole."""

    def __init__(self):
        self.lines = 0
        self.n = 0
        self.problems = []  # (line number within the part, message)
        self.slugs = {}  # slug -> line number within the part
        self.org_kind = {}
        self.org_display = {}
        self.counts = defaultdict(Counter)
        self.org_appearances = Counter()
        self.org_leads = Counter()
        self.words = Counter()
        self.words_per_case = 0
        self.field_words = Counter()
        self.null_fields = Counter()
        self.hyphenated = 0
        self.figures = 0

    def bad(self, line_no, message):
        if len(self.problems) < 1000:
            self.problems.append((line_no, message))

    def text_field(self, line_no, doc, field, limit, required=False, single_line=False):
        value = doc.get(field)
        if value is None:
            if required:
                self.bad(line_no, f"{field} is missing")
            return None
        if not isinstance(value, str):
            self.bad(line_no, f"{field} is not a string")
            return None
        stripped = value.strip()
        if not stripped:
            if required:
                self.bad(line_no, f"{field} is blank")
            return None
        if len(stripped) > limit:
            self.bad(line_no, f"{field} has {len(stripped)} characters (at most {limit})")
        if CONTROL_RE.search(value):
            self.bad(line_no, f"{field} contains control characters")
        if single_line and ("\n" in value or "\r" in value):
            self.bad(line_no, f"{field} is not a single line")
        return value

    def code_list(self, line_no, doc, field, allowed, at_least=0):
        value = doc.get(field)
        if not isinstance(value, list):
            self.bad(line_no, f"{field} is not a list")
            return []
        for v in value:
            if v not in allowed:
                self.bad(line_no, f"{field} has unknown code {v!r}")
        if len(set(map(str, value))) != len(value):
            self.bad(line_no, f"{field} repeats a code")
        if len(value) < at_least:
            self.bad(line_no, f"{field} must have at least {at_least}")
        return value

    def organisation(self, line_no, name, kind):
        key = name.strip().lower()
        if self.org_kind.setdefault(key, kind) != kind:
            self.bad(line_no, f"organisation {name!r} has kind {kind} here and {self.org_kind[key]} elsewhere")
        if self.org_display.setdefault(key, name) != name:
            self.bad(line_no, f"organisation {name!r} is also spelt {self.org_display[key]!r}")

    def line(self, line_no, line):
        bad = self.bad
        counts = self.counts
        if not line.strip():
            bad(line_no, "blank line")
            return
        try:
            doc = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            bad(line_no, f"not JSON: {e}")
            return
        if not isinstance(doc, dict):
            bad(line_no, "not an object")
            return
        self.n += 1
        keys = set(doc)
        if keys != EXPECTED_KEYS:
            missing, extra = EXPECTED_KEYS - keys, keys - EXPECTED_KEYS
            bad(line_no, f"keys differ: missing {sorted(missing)}, unexpected {sorted(extra)}")

        slug = doc.get("slug")
        if not isinstance(slug, str) or len(slug) > SLUG_MAX or not SLUG_RE.match(slug):
            bad(line_no, f"bad slug {slug!r}")
        elif slug in self.slugs:
            bad(line_no, f"duplicate slug {slug!r} (first on line {self.slugs[slug]})")
        else:
            self.slugs[slug] = line_no

        self.text_field(line_no, doc, "title", TITLE_MAX, required=True, single_line=True)
        bodies = [self.text_field(line_no, doc, "summary", SUMMARY_MAX, required=True)]
        for field in NARRATIVE_FIELDS:
            value = self.text_field(line_no, doc, field, NARRATIVE_MAX)
            if value is None:
                self.null_fields[field] += 1
            bodies.append(value)
        case_words = 0
        for field, body in zip(["summary"] + NARRATIVE_FIELDS, bodies):
            if body:
                k = body.count(" ") + 1
                case_words += k
                self.field_words[field] += k
        prose = " ".join(b for b in bodies if b)
        self.words.update(WORD_RE.findall(prose.lower()))
        self.hyphenated += prose.count("-")
        self.figures += len(FIGURE_RE.findall(prose))
        self.words_per_case += case_words
        counts["words"][min(case_words // 100 * 100, 1500)] += 1

        quadrants = self.code_list(line_no, doc, "quadrants", QUADRANTS, at_least=1)
        steps = self.code_list(line_no, doc, "journey_steps", JOURNEY_STEPS)
        values = self.code_list(line_no, doc, "values", VALUES)
        counts["quadrant"].update(quadrants)
        counts["quadrants per case study"][len(quadrants)] += 1
        counts["quadrant combination"][" + ".join(quadrants)] += 1
        counts["journey step"].update(steps)
        counts["journey steps per case study"][len(steps)] += 1
        counts["value"].update(values)
        counts["values per case study"][len(values)] += 1
        for field, allowed in (("scale", SCALES), ("sector", SECTORS), ("country", COUNTRIES), ("status", STATUSES)):
            value = doc.get(field)
            if value not in allowed:
                bad(line_no, f"{field} has unknown code {value!r}")
            counts[field][value] += 1
        locality = self.text_field(line_no, doc, "locality", LOCALITY_MAX)
        counts["locality"][locality] += 1
        counts["locality parts"][len(locality.split(", ")) if locality else 0] += 1

        start, end = doc.get("start_year"), doc.get("end_year")
        for field, value in (("start_year", start), ("end_year", end)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                      or not YEAR_MIN <= value <= YEAR_MAX):
                bad(line_no, f"{field} is not a year between {YEAR_MIN} and {YEAR_MAX}")
        if isinstance(start, int) and isinstance(end, int) and end < start:
            bad(line_no, "end_year is before start_year")
        counts["start year"][start if start is not None else "null"] += 1
        if start is not None and end is None:
            counts["years"]["ongoing (start, no end)"] += 1
        elif start is None:
            counts["years"]["no start year" + (", but an end year" if end is not None else "")] += 1
        else:
            counts["years"]["finished"] += 1

        partners = doc.get("partners")
        if not isinstance(partners, list):
            bad(line_no, "partners is not a list")
            partners = []
        if len(partners) > PARTNERS_MAX:
            bad(line_no, f"{len(partners)} partners (at most {PARTNERS_MAX})")
        leads = 0
        names_here = set()
        roles_here = set()
        for p in partners:
            org = p.get("organisation") if isinstance(p, dict) else None
            role = p.get("role") if isinstance(p, dict) else None
            if not isinstance(org, dict) or set(p) != {"organisation", "role"} or set(org) != {"name", "kind"}:
                bad(line_no, f"partner is not {{organisation: {{name, kind}}, role}}: {p!r}")
                continue
            name, kind = org["name"], org["kind"]
            if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX \
                    or "\n" in name or CONTROL_RE.search(name):
                bad(line_no, f"bad organisation name {name!r}")
                continue
            if kind not in KINDS:
                bad(line_no, f"organisation kind has unknown code {kind!r}")
            if role not in ROLES:
                bad(line_no, f"partner role has unknown code {role!r}")
            key = name.strip().lower()
            if key in names_here:
                bad(line_no, f"organisation {name!r} listed twice")
            names_here.add(key)
            self.organisation(line_no, name, kind)
            leads += role == "lead"
            roles_here.add(role)
            counts["partner role"][role] += 1
            counts["organisation kind (appearances)"][kind] += 1
            self.org_appearances[name] += 1
            if role == "lead":
                self.org_leads[name] += 1
                counts["lead kind"][kind] += 1
        if leads != 1:
            bad(line_no, f"{leads} lead partners (exactly one expected)")
        counts["partners per case study"][len(partners)] += 1
        counts["has a community partner"]["yes" if "community" in roles_here else "no"] += 1

        outcomes = doc.get("outcomes")
        if not isinstance(outcomes, list):
            bad(line_no, "outcomes is not a list")
            outcomes = []
        if len(outcomes) > OUTCOMES_MAX:
            bad(line_no, f"{len(outcomes)} outcomes (at most {OUTCOMES_MAX})")
        counts["outcomes per case study"][len(outcomes)] += 1
        measured = 0
        for o in outcomes:
            if not isinstance(o, dict) or set(o) != {"category", "description", "metric"}:
                bad(line_no, f"outcome is not {{category, description, metric}}: {o!r}")
                continue
            category = o["category"]
            if category not in OUTCOME_CATEGORIES:
                bad(line_no, f"outcome category has unknown code {category!r}")
            description = o["description"]
            if not isinstance(description, str) or not description.strip():
                bad(line_no, "outcome description is blank")
            elif len(description.strip()) > OUTCOME_DESCRIPTION_MAX or CONTROL_RE.search(description):
                bad(line_no, "outcome description too long or has control characters")
            counts["outcome category"][category] += 1
            metric = o["metric"]
            if metric is None:
                counts["outcome metric"]["none"] += 1
                continue
            if not isinstance(metric, dict) or set(metric) != {"value", "unit"}:
                bad(line_no, f"metric is not {{value, unit}}: {metric!r}")
                continue
            value, unit = metric["value"], metric["unit"]
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or abs(value) > 1e15:
                bad(line_no, f"metric value {value!r} is not a finite number of reasonable size")
            if unit not in UNITS:
                bad(line_no, f"metric unit has unknown code {unit!r}")
            measured += 1
            counts["outcome metric"][unit] += 1
            if category in EXPECTED_UNITS and unit not in EXPECTED_UNITS[category]:
                counts["unusual category/unit"][f"{category}/{unit}"] += 1
        counts["has a measured outcome"]["yes" if measured else "no"] += 1

    def merge(self, other, offset):
        """Fold in the state of the next part, whose line numbers start after `offset`."""
        for line_no, message in other.problems:
            if len(self.problems) < 1000:
                self.problems.append((line_no + offset, message))
        for slug, line_no in other.slugs.items():
            if slug in self.slugs:
                self.bad(line_no + offset, f"duplicate slug {slug!r} (first on line {self.slugs[slug]})")
            else:
                self.slugs[slug] = line_no + offset
        for key, kind in other.org_kind.items():
            name = other.org_display[key]
            if self.org_kind.setdefault(key, kind) != kind:
                self.bad(offset + 1, f"organisation {name!r} has kind {kind} in a later part and {self.org_kind[key]} earlier")
            if self.org_display.setdefault(key, name) != name:
                self.bad(offset + 1, f"organisation {name!r} is also spelt {self.org_display[key]!r}")
        for key, counter in other.counts.items():
            self.counts[key].update(counter)
        for attr in ("org_appearances", "org_leads", "words", "field_words", "null_fields"):
            getattr(self, attr).update(getattr(other, attr))
        for attr in ("lines", "n", "words_per_case", "hyphenated", "figures"):
            setattr(self, attr, getattr(self, attr) + getattr(other, attr))


def _check_part(args):
    path, start, end = args
    state = CheckState()
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    pieces = data.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()  # what follows the last newline is not a line
    for raw in pieces:
        state.lines += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            state.bad(state.lines, f"not UTF-8: {e}")
            continue
        state.line(state.lines, line)
    return state


def _split(path, parts):
    """Byte ranges of about equal size that start and end on line boundaries."""
    size = os.path.getsize(path)
    bounds = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(max(bounds[-1], size * k // parts))
            f.readline()
            pos = f.tell()
            if pos >= size:
                break
            if pos > bounds[-1]:
                bounds.append(pos)
    bounds.append(size)
    return [(path, a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def check(path, top, jobs=1):
    t0 = time.monotonic()
    ranges = _split(path, max(1, jobs) * 4)
    if jobs <= 1 or len(ranges) <= 1:
        states = map(_check_part, ranges)
        pool = None
    else:
        import multiprocessing
        pool = multiprocessing.Pool(jobs)
        states = pool.imap(_check_part, ranges)
    total = CheckState()
    try:
        for state in states:
            total.merge(state, total.lines)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    elapsed = time.monotonic() - t0
    problems = [f"line {ln}: {m}" for ln, m in total.problems]
    return report(path, total.n, problems, total.counts, total.words, total.words_per_case,
                  total.field_words, total.null_fields, total.org_appearances, total.org_leads,
                  total.org_kind, total.hyphenated, total.figures, elapsed, top)


def zipf_slope(freqs, lo, hi):
    """Least-squares slope of log frequency against log rank over ranks lo..hi."""
    pts = [(math.log(r), math.log(f)) for r, f in enumerate(freqs, 1) if lo <= r <= hi]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    num = sum((x - mx) * (y - my) for x, y in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return num / den


def report(path, n, problems, counts, words, words_per_case, field_words, null_fields,
           org_appearances, org_leads, org_kind, hyphenated, figures, elapsed, top):
    out = []
    p = out.append

    def pct(k, total=None):
        total = n if total is None else total
        return f"{100.0 * k / total:5.1f}%" if total else "  -  "

    def dist(title, counter, total=None, order=None, limit=None, sort_keys=False):
        p(f"\n{title}")
        items = list(counter.items())
        if order is not None:
            items = [(k, counter.get(k, 0)) for k in order]
        elif sort_keys:
            items.sort(key=lambda kv: (str(type(kv[0])), kv[0]))
        else:
            items.sort(key=lambda kv: -kv[1])
        if limit:
            items = items[:limit]
        width = max((len(str(k)) for k, _ in items), default=0)
        for k, v in items:
            p(f"  {str(k):<{width}}  {v:>10,}  {pct(v, total)}")

    shown = [m for m in problems if m is not None]
    p(f"file: {path}")
    p(f"case studies: {n:,}   checked in {elapsed:.1f}s")
    if problems:
        p(f"PROBLEMS: {len(problems):,}" + (" (first 1,000 kept)" if len(problems) > len(shown) else ""))
        for m in shown[:30]:
            p(f"  {m}")
    else:
        p("valid: every line parses, uses vocabulary codes exactly and respects every limit;")
        p("       exactly one lead per case study; slugs unique; organisation names map to one kind")
    if n == 0:
        return "\n".join(out), bool(problems)

    total_tokens = sum(words.values())
    freqs = sorted(words.values(), reverse=True)
    p(f"\nwords per case study (summary + narrative fields): mean {words_per_case / n:.1f}")
    for field in ["summary"] + NARRATIVE_FIELDS:
        present = n - null_fields.get(field, 0)
        mean = field_words[field] / present if present else 0
        p(f"  {field:<14} mean {mean:6.1f} words when present; null in {pct(null_fields.get(field, 0))}")
    p(f"distinct words: {len(words):,} (of {total_tokens:,} word tokens); "
      f"used once: {sum(1 for f in freqs if f == 1):,}; used 10+ times: {sum(1 for f in freqs if f >= 10):,}")
    p(f"Zipf slope of log frequency on log rank: ranks 1-100 {zipf_slope(freqs, 1, 100):.2f}, "
      f"10-1000 {zipf_slope(freqs, 10, 1000):.2f}, 100-{min(len(freqs), 5000)} {zipf_slope(freqs, 100, 5000):.2f}")
    p("most frequent words: " + ", ".join(f"{w} {c / total_tokens:.1%}" for w, c in words.most_common(12)))
    p(f"hyphens per case study: {hyphenated / n:.1f}; tokens with digits per case study: {figures / n:.1f}")
    dist("words per case study (by hundreds)", counts["words"], sort_keys=True)

    dist("quadrants (share of case studies tagged)", counts["quadrant"], order=QUADRANTS)
    dist("quadrants per case study", counts["quadrants per case study"], sort_keys=True)
    dist("quadrant combinations", counts["quadrant combination"])
    dist("journey steps (share tagged)", counts["journey step"], order=JOURNEY_STEPS)
    dist("journey steps per case study", counts["journey steps per case study"], sort_keys=True)
    dist("values (share tagged)", counts["value"], order=VALUES)
    dist("values per case study", counts["values per case study"], sort_keys=True)
    dist("scale", counts["scale"])
    dist("sector", counts["sector"])
    dist("country", counts["country"])
    dist("status", counts["status"])
    dist("years", counts["years"])
    dist("start year", counts["start year"], sort_keys=True)
    loc = counts["locality"]
    p(f"\nlocalities: {len([k for k in loc if k is not None]):,} distinct; none given in {pct(loc.get(None, 0))}")
    dist("locality parts (place, town, area)", counts["locality parts"], sort_keys=True)
    dist("top localities", Counter({k: v for k, v in loc.items() if k is not None}), limit=10)

    dist("partners per case study", counts["partners per case study"], sort_keys=True)
    dist("has a partner with role community", counts["has a community partner"])
    total_roles = sum(counts["partner role"].values())
    dist("partner roles (share of all partner entries)", counts["partner role"], total=total_roles, order=ROLES)
    dist("lead organisation kind", counts["lead kind"])
    total_kinds = sum(counts["organisation kind (appearances)"].values())
    dist("organisation kind (share of partner entries)", counts["organisation kind (appearances)"], total=total_kinds)
    apps = sorted(org_appearances.values(), reverse=True)
    distinct_orgs = len(apps)
    median = apps[len(apps) // 2] if apps else 0
    p(f"\norganisations: {distinct_orgs:,} distinct names across {total_roles:,} partner entries; "
      f"median appearances {median}; in 10 or fewer case studies: {sum(1 for a in apps if a <= 10):,}; "
      f"in 1,000 or more: {sum(1 for a in apps if a >= 1000):,}")
    p(f"Zipf slope of organisation appearances on rank (1-{min(distinct_orgs, 1000)}): {zipf_slope(apps, 1, 1000):.2f}")
    p(f"\ntop {top} organisations by appearances (as lead)")
    width = max((len(name) for name, _ in org_appearances.most_common(top)), default=0)
    for name, c in org_appearances.most_common(top):
        p(f"  {name:<{width}}  {org_kind[name.lower()]:<34} {c:>8,}  ({org_leads.get(name, 0):,})")

    dist("outcomes per case study", counts["outcomes per case study"], sort_keys=True)
    total_outcomes = sum(counts["outcome category"].values())
    dist("outcome category (share of outcomes)", counts["outcome category"], total=total_outcomes)
    dist("outcome metric unit (share of outcomes)", counts["outcome metric"], total=total_outcomes)
    dist("case studies with at least one measured outcome", counts["has a measured outcome"])
    if counts["unusual category/unit"]:
        dist("unusual category/unit pairs", counts["unusual category/unit"], total=total_outcomes)
    return "\n".join(out), bool(problems)


# --- Command line -------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Generate (or --check) a synthetic NDJSON corpus of co-production case studies.")
    parser.add_argument("--case-studies", type=int, default=10_000, metavar="N")
    parser.add_argument("--organisations", type=int, default=2_000, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=None, help="NDJSON file to write (default bench/out/corpus-<N>.ndjson)")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1),
                        help="worker processes for generating and checking (default: the CPUs, "
                             "at most 8); the output does not depend on it")
    parser.add_argument("--all-published", action="store_true",
                        help="give every case study status published (default: ~90%% published)")
    parser.add_argument("--progress", action="store_true", help="show progress on a terminal")
    parser.add_argument("--check", metavar="FILE", help="validate FILE and print its statistics")
    parser.add_argument("--top", type=int, default=20, help="organisations to list with --check")
    args = parser.parse_args(argv)

    if args.check:
        summary, failed = check(args.check, args.top, args.jobs)
        print(summary)
        return 1 if failed else 0
    if args.case_studies < 0 or args.organisations < 1:
        parser.error("--case-studies must be >= 0 and --organisations >= 1")
    if args.out is None:
        here = os.path.dirname(os.path.abspath(__file__))
        args.out = os.path.join(here, "out", f"corpus-{args.case_studies}.ndjson")
    generate(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
