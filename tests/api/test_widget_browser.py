"""A citizen in a real browser: headless Chromium opens the demo page, asks in the widget, reads the
documents, clicks a button and gives a rating — against the whole stack (Rasa, actions, API)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from assistant.database import Database
from assistant.tables import RatingRow
from evaluation.stack import ServerProcess
from tests.api.conftest import RunningApi
from tests.conftest import ActionServer

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
    "--lang=vi",
]


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def bot_texts(driver: WebDriver) -> str:
    return "\n".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot, .dvc-msg-search"))


def ask(driver: WebDriver, text: str) -> None:
    box = driver.find_element(By.ID, "dvc-chat-input")
    box.send_keys(text, Keys.ENTER)


def wait_answer(driver: WebDriver, before: int, timeout: float = 60) -> None:
    """Until the typing indicator is gone and new assistant messages arrived."""
    WebDriverWait(driver, timeout).until(
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot")) > before
            and not d.find_element(By.CSS_SELECTOR, ".dvc-chat-typing").is_displayed()
        )
    )


@pytest.mark.e2e
def test_cong_dan_hoi_giay_to_bam_nut_va_danh_gia(
    browser: WebDriver, api_stack: ServerProcess, action_server: ActionServer
) -> None:
    browser.get(api_stack.url + "/")
    sender = f"web-{uuid.uuid4().hex[:16]}"
    browser.execute_script("localStorage.setItem('dvc-chat-sender', arguments[0]);", sender)
    browser.refresh()
    wait = WebDriverWait(browser, 30)
    launcher = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, ".dvc-chat-launcher")))
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    # Keyboard users land in the text box; the log is announced to screen readers.
    assert browser.switch_to.active_element.get_attribute("id") == "dvc-chat-input"
    assert browser.find_element(By.CSS_SELECTOR, ".dvc-chat-log").get_attribute("aria-live") == "polite"

    count = len(browser.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot"))
    ask(browser, "đăng ký khai sinh cần giấy tờ gì")
    wait_answer(browser, count)
    clicked = False
    choices = browser.find_elements(By.CSS_SELECTOR, ".dvc-quick-reply:not([disabled])")
    if choices:  # the assistant asks which procedure: pick plain birth registration
        target = next((c for c in choices if c.text.strip() == "Đăng ký khai sinh"), choices[0])
        count = len(browser.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot"))
        target.click()
        clicked = True
        wait_answer(browser, count)
    answer = bot_texts(browser)
    assert "Hồ sơ cần chuẩn bị" in answer and "khai sinh" in answer.lower()
    assert browser.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot a[href^='https://']"), (
        "the portal link is a link"
    )

    count = len(browser.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot"))
    ask(browser, "tạm biệt")
    wait_answer(browser, count)
    stars = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".dvc-rating .dvc-star:not([disabled])")
    )
    assert [s.get_attribute("aria-label") for s in stars] == [f"{n} sao" for n in range(1, 6)]
    count = len(browser.find_elements(By.CSS_SELECTOR, ".dvc-msg-bot"))
    stars[4].click()
    clicked = True
    wait_answer(browser, count)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".dvc-star-on")) == 5
    assert clicked

    database = Database(action_server.database_url)
    try:
        with database.session() as session:
            scores = session.scalars(select(RatingRow.score).where(RatingRow.conversation_id == sender)).all()
    finally:
        database.dispose()
    assert scores == [5]


def test_tin_nhan_can_bo_hien_trong_widget_va_dieu_khien_bang_ban_phim(
    browser: WebDriver, gateway: RunningApi
) -> None:
    """Rasa is down in this gateway: the widget shows the search-only notice, then the operator's reply."""
    from tests.api.test_operator import add_operator, logged_in

    sender = f"web-{uuid.uuid4().hex[:16]}"
    browser.get(gateway.url + "/")
    browser.execute_script("localStorage.setItem('dvc-chat-sender', arguments[0]);", sender)
    browser.refresh()
    launcher = WebDriverWait(browser, 30).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, ".dvc-chat-launcher"))
    )
    launcher.send_keys(Keys.ENTER)  # keyboard only
    ask(browser, "tôi muốn gặp cán bộ")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".dvc-msg-search"))
    assert "tra cứu nhanh" in browser.find_element(By.CSS_SELECTOR, ".dvc-msg-search").text

    add_operator(gateway, "canbo.widget", "operator")
    operator = logged_in(gateway, "canbo.widget")
    try:
        assert operator.post(f"/operator/api/conversations/{sender}/takeover").status_code == 200
        reply = operator.post(
            f"/operator/api/conversations/{sender}/reply", json={"text": "Chào bạn, tôi là cán bộ."}
        )
        assert reply.status_code == 202
    finally:
        operator.close()
    WebDriverWait(browser, 20).until(
        lambda d: any(
            "Chào bạn, tôi là cán bộ." in e.text
            for e in d.find_elements(By.CSS_SELECTOR, ".dvc-msg-operator")
        )
    )
    browser.find_element(By.ID, "dvc-chat-input").send_keys(Keys.ESCAPE)
    assert launcher.get_attribute("aria-expanded") == "false"
    assert browser.switch_to.active_element == launcher
