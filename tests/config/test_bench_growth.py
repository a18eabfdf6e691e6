"""The page benchmark says which figures grew more than the target allows from the smallest
register measured to the largest, and which pages' queries differ."""

from bench import register_bench


def page(ms, queries=5, **others):
    figures = {
        "p95_ms": ms,
        "cold_ms": ms * 10,
        "edit_cold_ms": ms * 5,
        "edited_p50_ms": ms * 5,
        "counted_p50_ms": None,
        "queries": 0,
        "cold_queries": queries,
        "edit_cold_queries": queries,
    }
    return {**figures, **others}


def run(vendor, sites, pages):
    return {"vendor": vendor, "sites": sites, "pages": pages}


def test_figures_that_grow_more_than_twice_and_queries_that_differ_are_listed():
    runs = [
        run("sqlite", 10_000, {"/": page(1.0), "/sites/": page(1.0), "gone": page(1.0)}),
        run(
            "sqlite",
            500_000,
            {
                "/": page(2.0),  # twice: within the target
                "/sites/": page(1.0, queries=6, cold_ms=25.0),  # 2.5 times, a query more
                "new": page(9.0),  # not measured at the smaller size: not compared
            },
        ),
    ]

    text = register_bench.growth(runs)

    # Two pages compared at both sizes, four times each (the counted edits were not made).
    assert "Growth on sqlite, 10,000 → 500,000 sites: 1 of 8 times grew more than 2×" in text
    assert "| /sites/ | cold | 10.0 | 25.0 | 2.5× |" in text
    assert "| /sites/ | cold | 5 | 6 |" in text
    assert "| /sites/ | after an edit | 5 | 6 |" in text
    assert "the queries of 2 figures differ" in text
    assert "| / |" not in text
    assert "new" not in text


def test_each_database_is_compared_with_itself_and_one_size_compares_nothing():
    runs = [
        run("sqlite", 500_000, {"/": page(1.0)}),
        run("postgresql", 10_000, {"/": page(1.0)}),
        run("sqlite", 10_000, {"/": page(1.0)}),
    ]

    text = register_bench.growth(runs)

    assert "Growth on sqlite, 10,000 → 500,000 sites: 0 of 4 times" in text
    assert "postgresql" not in text
    assert register_bench.growth([run("sqlite", 10_000, {"/": page(1.0)})]) == ""
