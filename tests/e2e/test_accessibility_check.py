"""The accessibility check itself: it must fail on a page with violations and name them readably, or
the green runs of every journey would prove nothing."""

import pytest


@pytest.fixture
def blank_page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def test_violations_fail_with_rule_impact_and_selector(blank_page, assert_accessible):
    blank_page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
        '<img src="data:," id="logo"><input id="city" type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(blank_page, context="a broken page")
    message = str(failure.value)
    assert "violated on a broken page" in message
    assert "- image-alt [critical]: Images must have alternative text" in message
    assert '["#logo"]' in message
    assert "- label [critical]: Form elements must have labels" in message
    assert '["#city"]' in message


def test_a_sound_page_passes_and_exclude_leaves_out_foreign_markup(blank_page, assert_accessible):
    blank_page.set_content(
        '<html lang="en"><head><title>Sound</title></head><body><main><h1>Sound</h1>'
        '<label for="city">City</label><input id="city" type="text">'
        '<div id="widget"><img src="data:,"></div></main></body></html>'
    )
    assert_accessible(blank_page, context="a page with a foreign widget", exclude=["#widget"])


def test_contrast_is_checked_in_the_dark_colour_scheme_too(blank_page, assert_accessible):
    blank_page.set_content(
        '<html lang="en"><head><title>Dim</title><style>p { color: #333; background: #fff; }'
        "@media (prefers-color-scheme: dark) { p { background: #000; } }</style></head>"
        '<body><main><h1>Dim</h1><p id="dim">Readable in light only.</p></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(blank_page, context="a page dim in the dark")
    message = str(failure.value)
    assert "1 accessibility rule(s) violated" in message
    assert "- color-contrast (dark colour scheme) [serious]" in message
    assert '["#dim"]' in message
