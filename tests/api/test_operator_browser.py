"""Cán bộ xử lý phản ánh trên bảng điều khiển trong trình duyệt thật (Chromium không giao diện): đăng nhập,
thấy phản ánh quá hạn được đánh dấu, mở một phản ánh, giao cơ quan, trả lời — công dân thấy câu trả lời
trong khung trò chuyện."""

from __future__ import annotations

import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from assistant.conversations import ChatEvent
from assistant.database import utcnow
from tests.api.conftest import RunningApi
from tests.api.test_operator import PASSWORD, add_operator
from tests.api.test_operator_reports import waited
from tests.api.test_widget_browser import browser  # noqa: F401  (the fixture)

SCREENSHOT = Path(tempfile.gettempdir()) / "operator-feedback.png"
ANSWER = "Phường đã bố trí thêm cán bộ tiếp nhận buổi chiều từ ngày 01/12."


def test_can_bo_tra_loi_phan_anh_tren_bang_dieu_khien(browser: WebDriver, gateway: RunningApi) -> None:  # noqa: F811
    add_operator(gateway, "canbo.trinhduyet", "operator")
    sender = f"web-{uuid.uuid4().hex[:10]}"
    store = gateway.services.domain.feedback
    number = store.submit(
        content="Phường chỉ có một cán bộ tiếp nhận, người dân phải chờ cả buổi",
        category="phản ánh",
        contact="0912345678",
        consent=True,
        channel="rest",
        sender_id=sender,
    ).tracking_number
    with gateway.services.domain.database.session() as session:  # sent a month ago, never taken up
        session.execute(
            sa.text(
                "UPDATE feedback SET created_at = :at, status_changed_at = :at WHERE tracking_number = :n"
            ),
            {"at": utcnow() - timedelta(days=30), "n": number},
        )

    wait = WebDriverWait(browser, 20)
    browser.get(gateway.url + "/operator/login")
    browser.find_element(By.ID, "name").send_keys("canbo.trinhduyet")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait.until(ec.url_to_be(gateway.url + "/operator"))

    entry = wait.until(
        ec.element_to_be_clickable((By.XPATH, f"//ul[@id='feedback-list']//button[contains(., '{number}')]"))
    )
    assert entry.text.startswith("QUÁ HẠN") and "overdue" in entry.get_attribute("class")
    entry.click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "feedback-number"), number))
    assert "cả buổi" in browser.find_element(By.ID, "feedback-content").text
    assert "0912345678" in browser.find_element(By.ID, "feedback-facts").text

    browser.find_element(By.ID, "feedback-agency").send_keys("UBND phường Hồng Hà")
    Select(browser.find_element(By.ID, "feedback-status")).select_by_value("answered")
    browser.find_element(By.ID, "feedback-answer").send_keys(ANSWER)
    browser.find_element(By.CSS_SELECTOR, "#feedback-form button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "feedback-status-line"), "khi họ quay lại"))
    facts = browser.find_element(By.ID, "feedback-facts").text
    assert "đã trả lời" in facts and ANSWER in facts and "UBND phường Hồng Hà" in facts
    assert not browser.find_element(By.ID, "feedback-form").is_displayed()  # closed: nothing more to change
    history = browser.find_element(By.ID, "feedback-history").text
    assert "canbo.trinhduyet" in history and "đã trả lời" in history
    browser.save_screenshot(str(SCREENSHOT))

    secret = gateway.services.store.issue_secret(sender, "web")  # the widget keeps it from its first answer
    assert secret is not None
    with gateway.client(headers={"X-Conversation-Token": secret}) as citizen:
        updates = citizen.get(f"/api/v1/chat/{sender}/updates").json()["updates"]
    assert ANSWER in updates[-1]["message"]["text"]


CHARTS = Path(tempfile.gettempdir()) / "operator-charts.png"


def test_quan_tri_vien_thay_bieu_do_phan_anh_theo_co_quan(browser: WebDriver, gateway: RunningApi) -> None:  # noqa: F811
    add_operator(gateway, "quantri.bieudo", "admin")
    store = gateway.services.domain.feedback
    for agency, count in (("UBND phường Hồng Hà", 3), ("Sở Tư pháp", 1)):
        for _ in range(count):
            number = store.submit(
                content="Phản ánh để vẽ biểu đồ số liệu theo cơ quan",
                category="phản ánh",
                contact=None,
                consent=False,
                channel="rest",
                sender_id="api",
            ).tracking_number
            store.update(number, operator="quantri.bieudo", agency=agency)
    for sender, channel in (("web-bieudo", "web"), ("zalo:bieudo", "zalo"), ("eval-bieudo", "web")):
        gateway.services.store.record_event(
            ChatEvent(sender_id=sender, channel=channel, text="lệ phí khai sinh")
        )
    waited(gateway, "web-bieudo-cho", 25)  # asked 25 minutes before an operator took it
    waited(gateway, "eval-bieudo-cho", 300)  # the evaluation's: left out
    wait = WebDriverWait(browser, 20)
    browser.get(gateway.url + "/operator/login")
    browser.find_element(By.ID, "name").send_keys("quantri.bieudo")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    chart = wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#analytics svg[aria-label^='Phản ánh']"))
    )
    labels = [t.text for t in chart.find_elements(By.CSS_SELECTOR, ".chart-label")]
    assert "UBND phường Hồng Hà" in labels and "Sở Tư pháp" in labels
    bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
    assert len(bars) == 3 * len(labels) and all(b.size["width"] > 0 for b in bars)
    assert (
        browser.find_element(By.LINK_TEXT, "Tải CSV phản ánh theo cơ quan")
        .get_attribute("href")
        .endswith("/operator/api/feedback/report.csv")
    )
    questions = browser.find_element(By.CSS_SELECTOR, "#analytics svg[aria-label^='Câu hỏi theo ngày']")
    assert questions.find_elements(By.CSS_SELECTOR, ".chart-label")
    waits = browser.find_element(By.CSS_SELECTOR, "#analytics svg[aria-label^='Thời gian chờ cán bộ']")
    values = [float(t.text) for t in waits.find_elements(By.CSS_SELECTOR, ".chart-value")]
    assert values and max(values) < 100  # minutes: average and longest; the evaluation's 300 left out
    assert all(b.size["width"] > 0 for b in waits.find_elements(By.CSS_SELECTOR, "rect.bar"))
    assert (
        browser.find_element(By.LINK_TEXT, "Tải CSV thời gian chờ cán bộ")
        .get_attribute("href")
        .endswith("/operator/api/handoffs/waiting.csv")
    )
    browser.execute_script("document.getElementById('analytics').scrollIntoView()")
    browser.save_screenshot(str(CHARTS))
