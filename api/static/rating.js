// The rating page of a dossier: sends the citizen's choices as JSON (no personal data).
(function () {
  "use strict";
  const body = document.body;
  const form = document.getElementById("rating-form");
  const criteria = ["staff_attitude", "on_time", "guidance", "fees"];
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("rating-result");
    const picked = (name) => (form.querySelector("input[name='" + name + "']:checked") || {}).value;
    if (!picked("overall")) { result.textContent = "Bạn chọn mức độ hài lòng chung giúp chúng tôi."; return; }
    const payload = { token: body.dataset.token, overall: picked("overall"), criteria: {}, comment: "" };
    criteria.forEach((name) => {
      const value = picked(name);
      if (value) payload.criteria[name] = value === "true";
    });
    payload.comment = document.getElementById("rating-comment").value.trim();
    const response = await fetch("/api/v1/dossier-ratings/" + encodeURIComponent(body.dataset.code), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
    });
    const data = await response.json().catch(() => ({}));
    result.textContent = data.message || (typeof data.detail === "string" ? data.detail : "Chưa gửi được, bạn thử lại.");
  });
})();
