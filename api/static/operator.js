// Operator console: plain DOM, text only (never innerHTML with citizen data).
(function () {
  "use strict";
  const body = document.body;
  const pollMs = Number(body.dataset.pollMs) || 3000;
  let current = null;

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options || {}));
    if (response.status === 401) { window.location.href = "/operator/login"; throw new Error("401"); }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(typeof data.detail === "string" ? data.detail : "Lỗi " + response.status); }
    return data;
  }

  function post(path, payload) {
    return api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: payload ? JSON.stringify(payload) : undefined,
    });
  }

  document.getElementById("logout").addEventListener("click", async () => {
    await fetch("/operator/logout", { method: "POST", credentials: "same-origin" });
    window.location.href = "/operator/login";
  });

  document.getElementById("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = document.getElementById("search-results");
    out.replaceChildren(el("p", { textContent: "Đang tìm…" }));
    try {
      const q = encodeURIComponent(document.getElementById("search-q").value);
      const cards = await api("/operator/api/procedures?q=" + q);
      out.replaceChildren(...cards.map((card) => {
        const copy = el("button", { type: "button", textContent: "Sao chép" });
        copy.addEventListener("click", async () => {
          await navigator.clipboard.writeText(card.summary);
          copy.textContent = "Đã sao chép";
        });
        return el("div", { className: "card" }, [
          el("strong", { textContent: card.procedure.name }),
          el("pre", { textContent: card.summary }),
          copy,
        ]);
      }));
      if (!cards.length) out.replaceChildren(el("p", { textContent: "Không tìm thấy thủ tục phù hợp." }));
    } catch (error) { out.replaceChildren(el("p", { className: "error", textContent: error.message })); }
  });

  document.getElementById("dossier-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = document.getElementById("dossier-result");
    const code = encodeURIComponent(document.getElementById("dossier-code").value.trim());
    const phone = document.getElementById("dossier-phone").value.trim();
    const query = phone ? "?phone_last4=" + encodeURIComponent(phone) : "";
    const response = await fetch("/operator/api/dossiers/" + code + query, { credentials: "same-origin" });
    const data = await response.json().catch(() => ({}));
    out.textContent = data.message || (typeof data.detail === "string" ? data.detail : "Mã hồ sơ không hợp lệ.");
  });

  async function refreshConversations() {
    try {
      const items = await api("/operator/api/conversations");
      const list = document.getElementById("conversations");
      list.replaceChildren(...items.map((item) => {
        const label = (item.after_hours ? "Nhắn ngoài giờ · " : "") +
          (item.state === "taken" ? "Đang do " + item.taken_by + " hỗ trợ" : "Đang chờ") +
          " · " + item.channel + " · " + item.sender_id + (item.last_message ? " — " + item.last_message : "");
        const button = el("button", {
          type: "button", textContent: label, className: item.state + (item.after_hours ? " after-hours" : ""),
        });
        button.addEventListener("click", () => openConversation(item.sender_id));
        return el("li", {}, [button]);
      }));
      if (!items.length) list.replaceChildren(el("li", { textContent: "Chưa có hội thoại nào cần cán bộ." }));
      if (current) await loadHistory();
    } catch (error) { /* shown on the next successful poll */ }
  }

  async function loadHistory() {
    const items = await api("/operator/api/conversations/" + encodeURIComponent(current) + "/history");
    const names = { citizen: "Công dân", bot: "Trợ lý", operator: "Cán bộ", search: "Tra cứu nhanh" };
    document.getElementById("history").replaceChildren(...items.map((item) =>
      el("li", { className: item.author, textContent: (names[item.author] || item.author) + ": " + item.text })));
  }

  async function openConversation(senderId) {
    current = senderId;
    document.getElementById("conversation").hidden = false;
    document.getElementById("conversation-title").textContent = "Hội thoại " + senderId;
    await loadHistory();
    document.getElementById("conversation-title").focus();
  }

  function conversationAction(id, path, message) {
    document.getElementById(id).addEventListener("click", async () => {
      const status = document.getElementById("conversation-status");
      try {
        await post("/operator/api/conversations/" + encodeURIComponent(current) + path);
        status.textContent = message;
        await refreshConversations();
      } catch (error) { status.textContent = error.message; }
    });
  }
  conversationAction("take-over", "/takeover", "Bạn đã nhận hội thoại; trợ lý ảo tạm dừng trả lời.");
  conversationAction("hand-back", "/handback", "Đã trả hội thoại cho trợ lý ảo.");
  document.getElementById("mark-test").addEventListener("click", async () => {
    const status = document.getElementById("conversation-status");
    try {
      await post("/operator/api/conversations/" + encodeURIComponent(current) + "/test", { is_test: true });
      status.textContent = "Đã đánh dấu là hội thoại thử nghiệm: không tính vào báo cáo.";
    } catch (error) { status.textContent = error.message; }
  });

  document.getElementById("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("conversation-status");
    const text = document.getElementById("reply-text");
    try {
      await post("/operator/api/conversations/" + encodeURIComponent(current) + "/reply", { text: text.value });
      text.value = "";
      status.textContent = "Đã gửi.";
      await loadHistory();
    } catch (error) { status.textContent = error.message; }
  });

  // ------------------------------------------------------------------ feedback (phản ánh, kiến nghị)
  let currentFeedback = null;
  const day = (iso) => (iso ? new Date(iso).toLocaleDateString("vi-VN") : "");

  async function refreshFeedback() {
    const state = document.getElementById("feedback-state").value;
    const items = await api("/operator/api/feedback?state=" + encodeURIComponent(state));
    const list = document.getElementById("feedback-list");
    list.replaceChildren(...items.map((item) => {
      const label = (item.overdue ? "QUÁ HẠN · " : "") + item.tracking_number + " · " + item.status_label +
        (item.agency ? " · " + item.agency : "") + (item.due_at ? " · hạn " + day(item.due_at) : "") +
        " — " + item.excerpt;
      const button = el("button", { type: "button", textContent: label, className: item.overdue ? "overdue" : "" });
      button.addEventListener("click", () => openFeedback(item.tracking_number));
      return el("li", {}, [button]);
    }));
    if (!items.length) list.replaceChildren(el("li", { textContent: "Không có phản ánh nào." }));
  }

  function showFeedback(f) {
    currentFeedback = f.tracking_number;
    document.getElementById("feedback").hidden = false;
    document.getElementById("feedback-number").textContent =
      f.category + " " + f.tracking_number + (f.overdue ? " (quá hạn)" : "");
    const facts = [
      ["Trạng thái", f.status_label], ["Cơ quan", f.agency || "chưa giao"], ["Kênh", f.channel],
      ["Nhận ngày", day(f.created_at)], ["Hạn bước này", day(f.due_at) || "—"],
      ["Liên hệ", (f.contact || "không để lại") + (f.consent ? " (đồng ý được liên hệ)" : "")],
      ["Trả lời", f.answer ? f.answer + " — " + f.answered_by + ", " + day(f.answered_at) : "chưa có"],
    ];
    document.getElementById("feedback-facts").replaceChildren(...facts.flatMap(([k, v]) =>
      [el("dt", { textContent: k }), el("dd", { textContent: v })]));
    document.getElementById("feedback-content").textContent = f.content;
    document.getElementById("feedback-history").replaceChildren(...f.history.map((h) =>
      el("li", { textContent: day(h.at) + " · " + h.operator + " · " + h.status_label +
        (h.agency ? " · " + h.agency : "") + (h.note ? " — " + h.note : "") })));
    document.getElementById("feedback-agency").value = f.agency || "";
    const closed = f.status === "answered" || f.status === "transferred";
    document.getElementById("feedback-form").hidden = closed;
  }

  async function openFeedback(number) {
    showFeedback(await api("/operator/api/feedback/" + encodeURIComponent(number)));
    document.getElementById("feedback-status-line").textContent = "";
    document.getElementById("feedback-number").focus();
  }

  document.getElementById("feedback-state").addEventListener("change", () => refreshFeedback().catch(() => {}));
  document.getElementById("feedback-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const line = document.getElementById("feedback-status-line");
    const value = (id) => document.getElementById(id).value.trim();
    const payload = { agency: value("feedback-agency") || null, note: value("feedback-note") };
    if (value("feedback-status")) payload.status = value("feedback-status");
    if (value("feedback-answer")) payload.answer = value("feedback-answer");
    try {
      const result = await post("/operator/api/feedback/" + encodeURIComponent(currentFeedback), payload);
      showFeedback(result.feedback);
      line.textContent = result.message;
      ["feedback-answer", "feedback-note", "feedback-status"].forEach((id) => { document.getElementById(id).value = ""; });
      await refreshFeedback();
    } catch (error) { line.textContent = error.message; }
  });

  // A horizontal bar chart in SVG: one group of bars per row, one bar per series; values as text too.
  function barChart(title, rows, series) {
    const ns = "http://www.w3.org/2000/svg";
    const svgEl = (tag, attrs, text) => {
      const node = document.createElementNS(ns, tag);
      Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const max = Math.max(1, ...rows.flatMap((r) => r.values));
    const barH = 14, gap = 10, labelH = 16, width = 420, left = 4, room = width - 60;
    const groupH = labelH + series.length * barH + gap;
    const svg = svgEl("svg", {
      viewBox: "0 0 " + width + " " + Math.max(30, rows.length * groupH + 24), role: "img", "aria-label": title,
      class: "chart",
    });
    rows.forEach((row, i) => {
      const y = i * groupH;
      svg.append(svgEl("text", { x: left, y: y + 12, class: "chart-label" }, row.label));
      row.values.forEach((value, j) => {
        const w = Math.max(1, (value / max) * room);
        const by = y + labelH + j * barH;
        svg.append(svgEl("rect", { x: left, y: by, width: w, height: barH - 3, fill: series[j][1], class: "bar" }));
        svg.append(svgEl("text", { x: left + w + 4, y: by + barH - 4, class: "chart-value" }, String(value)));
      });
    });
    const legend = el("p", { className: "legend" }, series.map(([name, color]) =>
      el("span", { textContent: "■ " + name, style: "color:" + color + ";margin-right:1em" })));
    if (!rows.length) return el("div", {}, [el("h3", { textContent: title }), el("p", { textContent: "Chưa có số liệu." })]);
    return el("figure", { className: "chart-box" }, [el("figcaption", { textContent: title }), svg, legend]);
  }

  async function loadAnalytics() {
    const box = document.getElementById("analytics");
    if (!box) return;
    const data = await api("/operator/api/analytics");
    const table = (title, head, rows) => el("div", {}, [
      el("h3", { textContent: title }),
      el("table", {}, [
        el("tr", {}, head.map((h) => el("th", { textContent: h }))),
        ...rows.map((r) => el("tr", {}, r.map((c) => el("td", { textContent: String(c) })))),
      ]),
    ]);
    const csv = el("a", { href: "/operator/api/feedback/report.csv", textContent: "Tải CSV phản ánh theo cơ quan" });
    box.replaceChildren(
      barChart("Câu hỏi theo ngày và kênh (14 ngày)", data.questions_by_day.map((d) => ({
        label: d.day, values: [d.web, d.zalo, d.messenger],
      })), [["Web", "#137333"], ["Zalo", "#0068ff"], ["Messenger", "#a033ff"]]),
      barChart("Phản ánh, kiến nghị theo cơ quan", data.feedback_by_agency.map((a) => ({
        label: a.agency, values: [a.received, a.answered, a.overdue],
      })), [["Tiếp nhận", "#0b57d0"], ["Đã trả lời", "#137333"], ["Quá hạn", "#b3261e"]]),
      csv,
      barChart("Hài lòng về giải quyết hồ sơ (%)", data.handling_by_agency.map((a) => ({
        label: a.agency + " (" + a.ratings + " đánh giá)", values: [Math.round(a.satisfied_share * 100)],
      })), [["Hài lòng, rất hài lòng", "#137333"]]),
      barChart("Đánh giá trợ lý theo ngày (điểm trung bình, 1–5)", data.ratings_by_day.map((r) => ({
        label: r.day + " (" + r.count + " lượt)", values: [r.average],
      })), [["Điểm trung bình", "#f9ab00"]]),
      barChart("Thời gian chờ cán bộ nhận hội thoại (phút, theo ngày)", data.handoff_waits.map((w) => ({
        label: w.day + " (" + w.taken + " lượt)", values: [w.average_minutes, w.longest_minutes],
      })), [["Trung bình", "#0b57d0"], ["Lâu nhất", "#b3261e"]]),
      el("a", { href: "/operator/api/handoffs/waiting.csv", textContent: "Tải CSV thời gian chờ cán bộ" }),
      barChart("Thủ tục được hỏi nhiều nhất", data.top_procedures.map((p) => ({ label: p.name, values: [p.count] })),
        [["Lượt hỏi", "#0b57d0"]]),
      table("Thủ tục được hỏi nhiều nhất: mã và tên", ["Mã", "Tên", "Lượt"], data.top_procedures.map((p) => [p.code, p.name, p.count])),
      table("Câu hỏi trợ lý chưa trả lời được", ["Thời điểm", "Câu hỏi"], data.unanswered.map((u) => [u.at, u.text])),
      table("Đánh giá theo ngày", ["Ngày", "Lượt", "Trung bình"], data.ratings_by_day.map((r) => [r.day, r.count, r.average])),
      el("p", { textContent: "Yêu cầu gặp cán bộ: " + data.handoff_requests }),
    );
  }

  document.getElementById("conversation-title").tabIndex = -1;
  refreshConversations();
  setInterval(refreshConversations, pollMs);
  refreshFeedback().catch(() => {});
  setInterval(() => refreshFeedback().catch(() => {}), pollMs * 10);
  loadAnalytics().catch(() => {});
})();
