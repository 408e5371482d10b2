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

from assistant.database import utcnow
from tests.api.conftest import RunningApi
from tests.api.test_operator import PASSWORD, add_operator
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

    with gateway.client() as citizen:
        updates = citizen.get(f"/api/v1/chat/{sender}/updates").json()["updates"]
    assert ANSWER in updates[-1]["message"]["text"]
