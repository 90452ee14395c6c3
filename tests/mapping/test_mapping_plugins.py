"""Per-tenant mapping plugins: declared order, failures contained, outputs re-validated."""

from __future__ import annotations

from decimal import Decimal

import pytest
from mapping_builders import ARTICLES, context, order, row

from jetshop_hogia.mapping import (
    PluginLoadError,
    PluginSpec,
    ReasonCode,
    load_plugins,
    transform_orders,
)


def _chain(*specs: PluginSpec, **changes):  # type: ignore[no-untyped-def]
    return context(plugins=specs, **changes)


def test_prefix_plugin_by_short_name_and_by_path() -> None:
    by_name = PluginSpec.parse({"plugin": "prefix_order_reference", "params": {"prefix": "WEB-"}})
    by_path = PluginSpec(
        "jetshop_hogia.mapping.plugins.references:prefix_order_reference", {"prefix": "WEB-"}
    )
    for spec in (by_name, by_path):
        (draft,) = transform_orders([order("A1")], _chain(spec, our_reference="Shop")).drafts
        assert (draft.invoice["yourReference"], draft.invoice["ourReference"]) == (
            "WEB-Åsa Öberg",
            "WEB-Shop",
        )
        assert draft.invoice["customerOrderNumber"] == "A1"


def test_plugin_order_matters() -> None:
    """Two renames A→B and B→C: in that order the article ends as C, the other way round as B."""
    a_to_b = PluginSpec("map_article_numbers", {"table": {"1092-10": "H-1092"}})
    b_to_c = PluginSpec("map_article_numbers", {"table": {"H-1092": "H-1092-NY"}})
    known = ARTICLES | {"H-1092", "H-1092-NY"}
    forward = transform_orders([order("A1")], _chain(a_to_b, b_to_c, known_articles=known)).drafts[0]
    backward = transform_orders([order("A1")], _chain(b_to_c, a_to_b, known_articles=known)).drafts[0]

    assert forward.lines[0]["articleNumber"] == "H-1092-NY"
    assert backward.lines[0]["articleNumber"] == "H-1092"
    assert forward.payload_hash != backward.payload_hash


def test_two_prefixes_compose_in_declared_order() -> None:
    first = PluginSpec("prefix_order_reference", {"prefix": "A-", "fields": ["yourReference"]})
    second = PluginSpec("prefix_order_reference", {"prefix": "B-", "fields": ["yourReference"]})
    ab = transform_orders([order("A1")], _chain(first, second)).drafts[0]
    ba = transform_orders([order("A1")], _chain(second, first)).drafts[0]

    assert (ab.invoice["yourReference"], ba.invoice["yourReference"]) == ("B-A-Åsa Öberg", "A-B-Åsa Öberg")


def test_article_renames_are_known_to_validation() -> None:
    """A shop article missing in Hogia passes when a plugin maps it to a Hogia article — and only then."""
    rename = PluginSpec("map_article_numbers", {"table": {"9999": "7300"}})
    shop_only = order("A1", (row("9999", 1, "64.90"),))

    assert transform_orders([shop_only], _chain(rename)).drafts[0].lines[0]["articleNumber"] == "7300"
    missing = transform_orders(
        [shop_only], _chain(PluginSpec("map_article_numbers", {"table": {"9999": "8888"}}))
    )
    assert (
        missing.quarantined[0].describe()
        == "unknown_article: article 9999 (renamed 8888 by plugins) is not in Hogia"
    )


def test_a_failing_plugin_quarantines_only_that_order() -> None:
    boom = PluginSpec("mapping_builders:explode_for_order", {"order_number": "A2"})
    result = transform_orders([order("A1"), order("A2"), order("A3")], _chain(boom))

    assert [d.key.order_number for d in result.drafts] == ["A1", "A3"]
    (quarantined,) = result.quarantined
    assert quarantined.order_number == "A2"
    assert quarantined.describe() == (
        "plugin_failed: mapping_builders:explode_for_order: RuntimeError: tenant rule crashed"
    )


def test_a_plugin_returning_nothing_is_a_failure() -> None:
    result = transform_orders([order("A1")], _chain(PluginSpec("mapping_builders:return_nothing")))
    assert result.quarantined[0].codes == {ReasonCode.PLUGIN_FAILED}
    assert "returned NoneType" in result.quarantined[0].describe()


def test_a_plugin_refusing_its_params_is_a_failure() -> None:
    bad = PluginSpec("prefix_order_reference", {"prefix": "X", "fields": ["customerOrderNumber"]})
    result = transform_orders([order("A1")], _chain(bad))
    assert result.quarantined[0].codes == {ReasonCode.PLUGIN_FAILED}


@pytest.mark.parametrize(
    ("plugin", "fragment"),
    [
        ("mapping_builders:double_first_price", "the lines add up to 540.00 SEK, order total is 270.00 SEK"),
        ("mapping_builders:rename_order_number", "customerOrderNumber must stay A1"),
        ("mapping_builders:rename_without_declaring", "line 1: article ghost is not in Hogia"),
    ],
)
def test_a_plugin_that_breaks_the_draft_is_caught_by_revalidation(plugin: str, fragment: str) -> None:
    result = transform_orders(
        [order("A1"), order("A2", (row("7300", 1, "64.90"),))], _chain(PluginSpec(plugin))
    )

    assert "A1" in {q.order_number for q in result.quarantined}
    quarantined = next(q for q in result.quarantined if q.order_number == "A1")
    assert quarantined.codes == {ReasonCode.PLUGIN_INVALID_DRAFT}
    assert fragment in quarantined.describe()


def test_a_text_line_changes_the_hash_but_not_the_totals() -> None:
    result = transform_orders(
        [order("A1")], _chain(PluginSpec("mapping_builders:append_note", {"text": "Tack!"}))
    )
    (draft,) = result.drafts
    assert draft.lines[-1] == {"lineType": "text", "description": "Tack!"}
    assert draft.expected.gross_before_rounding == Decimal("270.00")
    plain = transform_orders([order("A1")], context()).drafts[0]
    assert draft.payload_hash != plain.payload_hash


def test_unloadable_plugins_are_configuration_errors() -> None:
    for path in (
        "no_such_module:f",
        "mapping_builders:no_such_function",
        "not-a-path",
        "mapping_builders:ARTICLES",
    ):
        with pytest.raises(PluginLoadError):
            load_plugins([PluginSpec(path)])
    with pytest.raises(PluginLoadError):
        transform_orders([order("A1")], _chain(PluginSpec("no_such_module:f")))
