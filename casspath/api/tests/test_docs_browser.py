import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_it_the_swagger_docs_render_under_our_csp(transactional_db, live_server, page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    external = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) or
            request.url.startswith("data:") else external.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "casspath API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path[data-path='/api/v1/me']")
    # The bearer scheme is offered in the Authorize dialog.
    page.click("button.authorize")
    assert page.locator(".auth-container").filter(has_text="TokenAuth").count() == 1
    assert violations == []
    assert external == []


def test_it_the_swagger_docs_fit_a_phone(transactional_db, live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path[data-path='/api/v1/me']")
    # A phone lays out a page without a viewport at 980 px and shrinks it unreadably.
    assert page.evaluate("window.innerWidth") == 390
    # The operations fit the screen's width: nothing makes the page scroll sideways by a screen.
    width = page.evaluate("document.querySelector('.swagger-ui .wrapper').getBoundingClientRect().width")
    assert width <= 390
