"""The matching engine: constraints always hold, reasons say what the data says, ties are stable."""

from __future__ import annotations

import doctest
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagari.participation.engine import (
    DAY_NAMES,
    LANGUAGE_LABELS,
    PERIOD_NAMES,
    SMALL_GROUP,
    Catalogue,
    Opportunity,
    Profile,
    Slot,
    catalogue,
    eligible,
    matching,
    model,
    rank,
    travel_minutes,
)

TOWNS = ("亀戸", "大島", "北砂", "豊洲")
KINDS = ("ibasho", "salon", "volunteering", "job_support", "group")
HOSTS = ("h1", "h2", "h3", "h4", "h5", "h6")
TERMS = ("料理", "体操", "園芸", "手芸", "子ども")
TRAVEL = {(a, b): 10 + 5 * abs(i - j) for i, a in enumerate(TOWNS) for j, b in enumerate(TOWNS)}

slots = st.builds(
    Slot,
    day=st.integers(0, 6),
    start=st.sampled_from([9 * 60, 10 * 60 + 30, 13 * 60, 15 * 60, 18 * 60]),
    monthly=st.booleans(),
)
maybe_bool = st.one_of(st.none(), st.booleans())


@st.composite
def opportunities(draw: st.DrawFn, ident: int | None = None) -> Opportunity:
    capacity = draw(st.one_of(st.none(), st.integers(1, 40)))
    return Opportunity(
        id=f"o{draw(st.integers(0, 10_000)) if ident is None else ident:05d}",
        title="活動",
        kind=draw(st.sampled_from(KINDS)),
        host=draw(st.sampled_from(HOSTS)),
        town=draw(st.sampled_from(TOWNS)),
        interests=frozenset(draw(st.sets(st.sampled_from(TERMS), max_size=2))),
        seeks=frozenset(
            draw(st.sets(st.sampled_from(("話し相手", "運転", "パソコン")), max_size=1))
        ),
        slots=tuple(draw(st.lists(slots, max_size=3))),
        flexible_time=draw(st.booleans()),
        walk_minutes=draw(st.one_of(st.none(), st.integers(1, 25))),
        cost_yen=draw(st.one_of(st.none(), st.sampled_from([0, 100, 300, 500, 1000]))),
        group_size=draw(st.one_of(st.none(), st.integers(3, 40))),
        wheelchair=draw(maybe_bool),
        companion_ok=draw(st.booleans()),
        sensory_friendly=draw(maybe_bool),
        languages=frozenset(draw(st.sets(st.sampled_from(("ja", "en", "vi")), min_size=1))),
        capacity=capacity,
        vacancies=None if capacity is None else draw(st.integers(0, capacity)),
        min_age=draw(st.one_of(st.none(), st.sampled_from([15, 60]))),
        max_age=draw(st.one_of(st.none(), st.sampled_from([39, 64]))),
        keywords=tuple(draw(st.sets(st.sampled_from(("料理", "外に出る", "働く")), max_size=2))),
    )


@st.composite
def catalogues(draw: st.DrawFn) -> list[Opportunity]:
    n = draw(st.integers(0, 25))
    return [draw(opportunities(ident=i)) for i in range(n)]


profiles = st.builds(
    Profile,
    interests=st.frozensets(st.sampled_from(TERMS), max_size=3),
    offers=st.frozensets(st.sampled_from(("話し相手", "運転", "パソコン")), max_size=2),
    free_times=st.frozensets(
        st.tuples(st.integers(0, 6), st.sampled_from(tuple(PERIOD_NAMES))), max_size=8
    ),
    home_town=st.sampled_from(("", *TOWNS)),
    towns=st.frozensets(st.sampled_from(TOWNS), max_size=2),
    max_travel_minutes=st.one_of(st.none(), st.integers(5, 40)),
    wheelchair=st.booleans(),
    needs_companion=st.booleans(),
    max_cost_yen=st.one_of(st.none(), st.sampled_from([0, 300, 1000])),
    languages=st.frozensets(st.sampled_from(("ja", "en", "vi")), min_size=1),
    max_group_size=st.one_of(st.none(), st.integers(5, 20)),
    prefers_small_groups=st.booleans(),
    sensory_needs=st.booleans(),
    age=st.one_of(st.none(), st.integers(15, 90)),
    goals=st.sampled_from(("", "料理を覚えたい", "週に一度は外に出る", "働くことに慣れたい")),
)

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def holds(p: Profile, o: Opportunity) -> bool:
    """Every hard constraint, written out again independently of the engine."""
    minutes = travel_minutes(p, o, TRAVEL)
    times_ok = (
        (not p.free_times and bool(o.slots))
        or o.flexible_time
        or any((s.day, s.period) in p.free_times for s in o.slots)
    )
    return all(
        [
            o.vacancies is None or o.vacancies > 0,
            not p.towns or o.town in p.towns,
            not p.wheelchair or o.wheelchair is True,
            not p.needs_companion or o.companion_ok,
            p.max_cost_yen is None or (o.cost_yen is not None and o.cost_yen <= p.max_cost_yen),
            bool(p.languages & o.languages),
            p.max_group_size is None or o.group_size is None or o.group_size <= p.max_group_size,
            not p.sensory_needs or o.sensory_friendly is not False,
            p.age is None or o.min_age is None or p.age >= o.min_age,
            p.age is None or o.max_age is None or p.age <= o.max_age,
            times_ok,
            p.max_travel_minutes is None
            or (minutes is not None and minutes <= p.max_travel_minutes),
        ]
    )


@FAST
@given(profiles, catalogues())
def test_it_never_suggests_what_breaks_a_hard_constraint(
    p: Profile, items: list[Opportunity]
) -> None:
    for s in rank(p, items, travel=TRAVEL, limit=len(items) or 1):
        assert holds(p, s.opportunity), s.opportunity


@FAST
@given(profiles, catalogues())
def test_it_leaves_out_nothing_that_meets_every_constraint(
    p: Profile, items: list[Opportunity]
) -> None:
    # With room for all, the suggestions are exactly the eligible opportunities.
    got = {s.opportunity.id for s in rank(p, items, travel=TRAVEL, limit=len(items) + 1)}
    assert got == {o.id for o in items if holds(p, o)}
    assert got == {o.id for o in items if eligible(p, o, TRAVEL)}


@FAST
@given(profiles, catalogues())
def test_it_never_suggests_a_full_opportunity(p: Profile, items: list[Opportunity]) -> None:
    assert not any(s.opportunity.full for s in rank(p, items, travel=TRAVEL, limit=50))


@FAST
@given(profiles, catalogues())
def test_its_reasons_say_what_the_data_says(p: Profile, items: list[Opportunity]) -> None:
    for s in rank(p, items, travel=TRAVEL, limit=50):
        o = s.opportunity
        assert s.reason == "・".join(t for _w, t in s.parts)
        for what, text in s.parts:
            if what == "time" and text != "日時は相談":
                assert any(
                    sl.label == text
                    and text.startswith(DAY_NAMES[sl.day] + PERIOD_NAMES[sl.period])
                    and (not p.free_times or (sl.day, sl.period) in p.free_times)
                    for sl in o.slots
                ), (text, o.slots)
            elif what == "time":
                assert o.flexible_time
            elif what == "travel":
                minutes = int(re.findall(r"\d+", text)[-1])
                assert minutes == travel_minutes(p, o, TRAVEL)
                assert text.startswith("徒歩") == (o.town == p.home_town)
            elif what == "group":
                assert o.group_size is not None and o.group_size <= SMALL_GROUP
            elif what == "cost":
                assert text == ("無料" if o.cost_yen == 0 else f"{o.cost_yen}円")
            elif what == "interest":
                assert text in p.interests & o.interests
            elif what == "access":
                assert o.wheelchair is True
            elif what == "vacancy":
                assert text == f"空き{o.vacancies}"
            elif what == "companion":
                assert o.companion_ok and p.needs_companion
            elif what == "sensory":
                assert o.sensory_friendly is True
            elif what == "offer":
                assert text.removesuffix("を活かせる") in p.offers & o.seeks
            elif what == "language":
                assert any(
                    LANGUAGE_LABELS.get(c, c) + "可" == text for c in p.languages & o.languages
                )
            else:
                raise AssertionError(f"a reason part nobody checks: {what}")


@FAST
@given(profiles, catalogues(), st.randoms(use_true_random=False))
def test_it_breaks_ties_the_same_way_whatever_the_input_order(
    p: Profile, items: list[Opportunity], rnd: object
) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = [s.opportunity.id for s in rank(p, items, travel=TRAVEL)]
    again = [s.opportunity.id for s in rank(p, shuffled, travel=TRAVEL)]
    assert first == again


@FAST
@given(profiles, catalogues())
def test_it_keeps_variety_unless_nothing_else_is_left(p: Profile, items: list[Opportunity]) -> None:
    got = rank(p, items, travel=TRAVEL, limit=5)
    ids = {s.opportunity.id for s in got}
    for attr, cap in (("host", 2), ("kind", 3)):
        counts: dict[str, int] = {}
        for s in got:
            counts[getattr(s.opportunity, attr)] = counts.get(getattr(s.opportunity, attr), 0) + 1
        crowded = {k for k, n in counts.items() if n > cap}
        if crowded:
            # Relaxed only when no eligible opportunity of another host or kind was left out.
            left = [o for o in items if eligible(p, o, TRAVEL) and o.id not in ids]
            assert all(getattr(o, attr) in crowded for o in left)


def test_it_spreads_the_top_over_hosts_and_kinds() -> None:
    same = [
        Opportunity(f"a{i}", "体操", "kayoi", "h1", slots=(Slot(0, 600),), cost_yen=0)
        for i in range(6)
    ]
    other = [
        Opportunity(f"b{i}", "手芸", "salon", f"h{i + 2}", slots=(Slot(1, 600),)) for i in range(3)
    ]
    got = [s.opportunity.id for s in rank(Profile(), same + other, limit=5)]
    assert got == ["a0", "a1", "b0", "b1", "b2"]
    # Without the caps the best five would all be one host's.
    uncapped = rank(Profile(), same + other, limit=5, max_per_host=99, max_per_kind=99)
    assert {s.opportunity.host for s in uncapped} == {"h1"}


def test_it_fills_the_list_from_one_host_when_nothing_else_fits() -> None:
    same = [Opportunity(f"a{i}", "体操", "kayoi", "h1", slots=(Slot(0, 600),)) for i in range(4)]
    assert [s.opportunity.id for s in rank(Profile(), same, limit=3)] == ["a0", "a1", "a2"]


def test_it_ranks_shared_interests_first_and_says_so() -> None:
    cooking = Opportunity("z", "料理", "salon", "h1", slots=(Slot(2, 14 * 60),),
                          interests=frozenset({"料理"}))  # fmt: skip
    other = Opportunity("a", "散歩", "group", "h2", slots=(Slot(2, 14 * 60),))
    got = rank(Profile(interests=frozenset({"料理"})), [other, cooking])
    assert [s.opportunity.id for s in got] == ["z", "a"]
    assert got[0].reason == "水曜午後・料理"


def test_it_gives_the_example_reason() -> None:
    o = Opportunity("x", "サロン", "salon", "h", town="亀戸", walk_minutes=15,
                    slots=(Slot(0, 13 * 60),), group_size=8)  # fmt: skip
    assert rank(Profile(home_town="亀戸"), [o])[0].reason == "月曜午後・徒歩15分・少人数"


def test_it_treats_an_unrecorded_step_free_access_as_not_step_free() -> None:
    o = Opportunity("x", "サロン", "salon", "h", slots=(Slot(0, 600),), wheelchair=None)
    assert rank(Profile(wheelchair=True), [o]) == []
    assert len(rank(Profile(wheelchair=False), [o])) == 1


def test_it_skips_what_was_already_proposed() -> None:
    items = [Opportunity(i, "x", "salon", i, slots=(Slot(0, 600),)) for i in ("a", "b")]
    assert [s.opportunity.id for s in rank(Profile(), items, exclude=["a"])] == ["b"]


def test_its_docstring_examples_hold() -> None:
    assert doctest.testmod(matching).failed == 0
    assert doctest.testmod(model).failed == 0
    assert doctest.testmod(catalogue).failed == 0


@FAST
@given(profiles, catalogues())
def test_the_catalogue_index_changes_nothing_but_speed(
    p: Profile, items: list[Opportunity]
) -> None:
    plain = rank(p, items, travel=TRAVEL, limit=50)
    indexed = rank(p, Catalogue(items), travel=TRAVEL, limit=50)
    assert [(s.opportunity.id, s.score, s.reason) for s in plain] == [
        (s.opportunity.id, s.score, s.reason) for s in indexed
    ]
