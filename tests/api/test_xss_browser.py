"""XSS attack test (issue 13's attack suite): script payloads in every text a citizen or an operator sees —
the citizen's message in the console's list and history, the operator's reply in the widget — in a real
headless Chromium. Nothing may run: the payloads must show as text. Also the widget's
"xóa dữ liệu của tôi" button."""

from __future__ import annotations

import uuid
from contextlib import closing

import httpx
import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.conftest import RunningApi
from tests.api.test_operator import PASSWORD, add_operator, logged_in
from tests.api.test_widget_browser import browser  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow

PAYLOADS = [
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    "<script>window.__xss=(window.__xss||0)+1</script>",
    '"><svg onload="window.__xss=(window.__xss||0)+1">',
    "javascript:window.__xss=1",
]
TEXT = " ".join(PAYLOADS)


def no_script_ran(driver: WebDriver) -> bool:
    return driver.execute_script("return window.__xss === undefined;") is True


def test_payloads_from_a_citizen_show_as_text_in_the_console(
    browser: WebDriver,  # noqa: F811
    gateway: RunningApi,
    client: httpx.Client,
) -> None:
    sender = f"web-{uuid.uuid4().hex[:12]}"
    assert (
        client.post("/api/v1/chat", json={"sender": sender, "text": "cho tôi gặp cán bộ"}).status_code == 200
    )
    assert client.post("/api/v1/chat", json={"sender": sender, "text": TEXT}).status_code == 200
    gateway.services.domain.handoffs.flag(conversation_id=sender, channel="web", reason=TEXT)
    add_operator(gateway, "canbo.xss", "operator")

    browser.get(gateway.url + "/operator/login")
    browser.find_element(By.ID, "name").send_keys("canbo.xss")
    browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith("/operator"))
    item = WebDriverWait(browser, 20).until(
        lambda d: next(
            (b for b in d.find_elements(By.CSS_SELECTOR, "#conversations button") if sender in b.text), None
        )
    )
    assert no_script_ran(browser)
    item.click()
    WebDriverWait(browser, 20).until(
        lambda d: any(TEXT in li.text for li in d.find_elements(By.CSS_SELECTOR, "#history li"))
    )  # shown literally, every payload
    assert no_script_ran(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#history img, #history svg, #conversations img")


def test_payloads_from_an_operator_show_as_text_in_the_widget(
    browser: WebDriver,  # noqa: F811
    gateway: RunningApi,
) -> None:
    sender = f"web-{uuid.uuid4().hex[:16]}"
    browser.get(gateway.url + "/")
    browser.execute_script("localStorage.setItem('dvc-chat-sender', arguments[0]);", sender)
    browser.execute_script("localStorage.removeItem('dvc-chat-token');")
    browser.refresh()
    launcher = WebDriverWait(browser, 30).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, ".dvc-chat-launcher"))
    )
    launcher.click()
    browser.find_element(By.ID, "dvc-chat-input").send_keys(TEXT, Keys.ENTER)  # the citizen's own echo too
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".dvc-msg-search"))

    add_operator(gateway, "canbo.xss2", "operator")
    with closing(logged_in(gateway, "canbo.xss2")) as operator:
        assert operator.post(f"/operator/api/conversations/{sender}/takeover").status_code == 200
        assert (
            operator.post(f"/operator/api/conversations/{sender}/reply", json={"text": TEXT}).status_code
            == 202
        )
    WebDriverWait(browser, 20).until(
        lambda d: any(PAYLOADS[1] in e.text for e in d.find_elements(By.CSS_SELECTOR, ".dvc-msg-operator"))
    )
    assert no_script_ran(browser)
    assert not browser.find_elements(
        By.CSS_SELECTOR, ".dvc-chat-panel img[src='x'], .dvc-chat-panel svg[onload]"
    )


def test_a_citizen_deletes_their_data_from_the_widget(
    browser: WebDriver,  # noqa: F811
    gateway: RunningApi,
) -> None:
    """Issue 13, finding 7: "xóa dữ liệu của tôi" — the widget's button deletes the conversation server-side
    and starts a new one."""
    sender = f"web-{uuid.uuid4().hex[:16]}"
    browser.get(gateway.url + "/")
    browser.execute_script("localStorage.setItem('dvc-chat-sender', arguments[0]);", sender)
    browser.execute_script("localStorage.removeItem('dvc-chat-token');")
    browser.refresh()
    WebDriverWait(browser, 30).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, ".dvc-chat-launcher"))
    ).click()
    browser.find_element(By.ID, "dvc-chat-input").send_keys("số điện thoại của tôi 0912345678", Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".dvc-msg-search"))
    assert gateway.services.store.history(sender)

    browser.execute_script("window.confirm = function () { return true; };")
    browser.find_element(By.CSS_SELECTOR, ".dvc-chat-forget").click()
    # The widget empties its log when the deletion answers: an element read just then is stale.
    WebDriverWait(browser, 20, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: any("Đã xóa dữ liệu" in e.text for e in d.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot"))
    )
    assert gateway.services.store.history(sender) == []
    assert browser.execute_script("return localStorage.getItem('dvc-chat-sender');") != sender
    assert not browser.find_elements(By.CSS_SELECTOR, ".dvc-msg-user")
