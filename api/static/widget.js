/*
 * Trợ lý ảo dịch vụ công — embeddable chat widget.
 * One tag on the province's page:  <script src="https://<api host>/widget.js" defer></script>
 * Optional attributes: data-title="…" (header text), data-api="https://…" (API base, default: the script's origin).
 * Vanilla JS, no dependencies; text is always inserted as text nodes (never as HTML).
 */
(function () {
  "use strict";
  if (window.__dvcChatLoaded) return;
  window.__dvcChatLoaded = true;

  var script = document.currentScript;
  var base = (script && script.getAttribute("data-api")) || (script ? new URL(script.src).origin : "");
  var title = (script && script.getAttribute("data-title")) || "Trợ lý ảo dịch vụ công";
  var POLL_MS = 4000;
  var RATING_RE = /^\/inform\{"rating":\s*"(\d)"\}$/;
  var URL_RE = /(https?:\/\/[^\s<>"')]+)/g;
  var store = {
    sender: "dvc-chat-sender",
    token: "dvc-chat-token",
    history: "dvc-chat-history",
    lastUpdate: "dvc-chat-last-update",
  };

  function senderId() {
    var id = null;
    try { id = localStorage.getItem(store.sender); } catch (e) { /* storage disabled */ }
    if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      var bytes = new Uint8Array(12);
      (window.crypto || window.msCrypto).getRandomValues(bytes);
      id = "web-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try {
        localStorage.setItem(store.sender, id);
        localStorage.removeItem(store.token); // a new conversation: the old secret is not its own
      } catch (e) { /* keeps working for this page */ }
    }
    return id;
  }

  var sender = senderId();
  var history = [];
  try { history = JSON.parse(sessionStorage.getItem(store.history) || "[]"); } catch (e) { history = []; }
  var lastUpdate = Number(localStorage.getItem(store.lastUpdate) || 0);
  // The conversation's secret, given once by the first answer: only it reads the operator's replies.
  var token = null;
  try { token = localStorage.getItem(store.token); } catch (e) { /* storage disabled */ }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "/widget.css";
  document.head.appendChild(css);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  var root = el("div", { class: "dvc-chat", lang: "vi" });
  var launcher = el("button", {
    type: "button", class: "dvc-chat-launcher", "aria-expanded": "false", "aria-controls": "dvc-chat-panel",
  }, "Hỏi trợ lý ảo");
  var panel = el("section", { id: "dvc-chat-panel", class: "dvc-chat-panel", role: "dialog", "aria-label": title });
  panel.hidden = true;
  var header = el("header", { class: "dvc-chat-header" });
  var heading = el("h2", { id: "dvc-chat-title", tabindex: "-1" }, title);
  var close = el("button", { type: "button", class: "dvc-chat-close", "aria-label": "Đóng cửa sổ trò chuyện" }, "×");
  var forget = el("button", { type: "button", class: "dvc-chat-forget" }, "Xóa dữ liệu của tôi");
  header.appendChild(heading);
  header.appendChild(forget);
  header.appendChild(close);
  var log = el("div", { class: "dvc-chat-log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
  var typing = el("div", { class: "dvc-chat-typing", role: "status", "aria-live": "polite" });
  typing.hidden = true;
  var form = el("form", { class: "dvc-chat-form" });
  var label = el("label", { for: "dvc-chat-input", class: "dvc-visually-hidden" }, "Nhập câu hỏi");
  var input = el("input", {
    id: "dvc-chat-input", type: "text", autocomplete: "off", maxlength: "1000",
    placeholder: "Ví dụ: đăng ký khai sinh cần giấy tờ gì?",
  });
  var send = el("button", { type: "submit", class: "dvc-chat-send" }, "Gửi");
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);
  document.body.appendChild(root);

  function appendText(node, text) {
    // Links become anchors; everything else stays plain text.
    var last = 0;
    text.replace(URL_RE, function (url, _g, offset) {
      node.appendChild(document.createTextNode(text.slice(last, offset)));
      var a = el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url);
      node.appendChild(a);
      last = offset + url.length;
      return url;
    });
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  function ratingOf(button) {
    var m = RATING_RE.exec(button.payload || "");
    return m ? Number(m[1]) : null;
  }

  function renderButtons(bubble, buttons) {
    if (!buttons || !buttons.length) return;
    var stars = buttons.every(function (b) { return ratingOf(b) !== null; });
    var group = el("div", {
      class: stars ? "dvc-rating" : "dvc-quick-replies", role: "group",
      "aria-label": stars ? "Đánh giá từ 1 đến 5 sao" : "Lựa chọn gợi ý",
    });
    buttons.forEach(function (b) {
      var n = ratingOf(b);
      var button = el("button", { type: "button", class: stars ? "dvc-star" : "dvc-quick-reply" },
        stars ? "★" : b.title);
      if (stars) button.setAttribute("aria-label", n + " sao");
      button.addEventListener("click", function () {
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (x) { x.disabled = true; });
        if (stars) {
          Array.prototype.forEach.call(group.querySelectorAll(".dvc-star"), function (x, i) {
            if (i < n) x.classList.add("dvc-star-on");
          });
        }
        ask(b.payload, stars ? "★★★★★".slice(0, n) + "☆☆☆☆☆".slice(0, 5 - n) : b.title);
      });
      group.appendChild(button);
    });
    bubble.appendChild(group);
  }

  function render(entry, live) {
    var bubble = el("div", { class: "dvc-msg dvc-msg-" + entry.author });
    if (entry.author !== "user") {
      var who = { bot: "Trợ lý", operator: "Cán bộ", search: "Tra cứu nhanh" }[entry.author] || "Trợ lý";
      bubble.appendChild(el("span", { class: "dvc-visually-hidden" }, who + ": "));
      if (entry.author === "operator") bubble.appendChild(el("strong", { class: "dvc-who" }, "Cán bộ: "));
    }
    var text = el("p");
    appendText(text, entry.text || "");
    bubble.appendChild(text);
    if (live) renderButtons(bubble, entry.buttons);
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  function remember(entry) {
    history.push({ author: entry.author, text: entry.text });
    history = history.slice(-60);
    try { sessionStorage.setItem(store.history, JSON.stringify(history)); } catch (e) { /* optional */ }
  }

  function show(entry) { render(entry, true); remember(entry); }

  function setTyping(on) {
    typing.hidden = !on;
    typing.textContent = on ? "Trợ lý đang trả lời…" : "";
    send.disabled = on;
  }

  function ask(text, shown) {
    show({ author: "user", text: shown || text });
    setTyping(true);
    fetch(base + "/api/v1/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, text: text }),
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      setTyping(false);
      if (result.ok && result.body.conversation_token) {
        token = result.body.conversation_token;
        try { localStorage.setItem(store.token, token); } catch (e) { /* kept for this page */ }
      }
      if (!result.ok) {
        var detail = typeof result.body.detail === "string" ? result.body.detail : "Xin lỗi, có lỗi xảy ra.";
        show({ author: "bot", text: detail });
        return;
      }
      result.body.messages.forEach(function (m) {
        show({ author: m.source === "bot" ? "bot" : m.source, text: m.text, buttons: m.buttons });
      });
      if (result.body.mode === "operator" && !result.body.messages.length) {
        typing.hidden = false;
        typing.textContent = "Cán bộ đang xem tin nhắn của bạn…";
      }
    }).catch(function () {
      setTyping(false);
      show({ author: "bot", text: "Xin lỗi, chưa kết nối được tới trợ lý. Bạn vui lòng thử lại sau ít phút." });
    }).then(function () { input.focus(); });
  }

  function poll() {
    if (panel.hidden || !token) return;
    fetch(base + "/api/v1/chat/" + encodeURIComponent(sender) + "/updates?after=" + lastUpdate, {
      headers: { "X-Conversation-Token": token },
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) return;
        body.updates.forEach(function (u) {
          lastUpdate = Math.max(lastUpdate, u.id);
          show({ author: u.message.source === "bot" ? "bot" : "operator", text: u.message.text });
        });
        try { localStorage.setItem(store.lastUpdate, String(lastUpdate)); } catch (e) { /* optional */ }
        if (body.queue_position) {
          typing.hidden = false;
          typing.textContent = "Bạn đang ở vị trí số " + body.queue_position + " trong hàng chờ cán bộ.";
        } else if (body.updates.length || /hàng chờ/.test(typing.textContent)) {
          typing.hidden = true;
        }
      }).catch(function () { /* next poll */ });
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!log.childNodes.length) {
      history.forEach(function (h) { render(h, false); });
      if (!history.length) {
        show({ author: "bot", text: "Xin chào! Tôi là trợ lý ảo dịch vụ công. Bạn cần hỏi về thủ tục nào " +
          "(giấy tờ, lệ phí, thời hạn, nơi nộp) hay tra cứu hồ sơ?" });
      }
    }
    input.focus();
    poll();
  }

  function shut() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) open(); else shut(); });
  close.addEventListener("click", shut);
  forget.addEventListener("click", function () {
    if (!window.confirm("Xóa cuộc trò chuyện này (tin nhắn, đánh giá, liên hệ bạn để lại) khỏi hệ thống?")) return;
    var done = function (ok) {
      // A new conversation from now on: new sender id, no secret, no local history.
      try {
        localStorage.removeItem(store.sender);
        localStorage.removeItem(store.token);
        localStorage.removeItem(store.lastUpdate);
        sessionStorage.removeItem(store.history);
      } catch (e) { /* storage disabled */ }
      history = [];
      token = null;
      lastUpdate = 0;
      sender = senderId();
      log.replaceChildren();
      show({ author: "bot", text: ok ? "Đã xóa dữ liệu cuộc trò chuyện của bạn." :
        "Chưa xóa được dữ liệu trên hệ thống, bạn vui lòng thử lại sau hoặc gọi đường dây nóng." });
    };
    if (!token) { done(false); return; }
    fetch(base + "/api/v1/chat/" + encodeURIComponent(sender), {
      method: "DELETE", headers: { "X-Conversation-Token": token },
    }).then(function (r) { done(r.ok); }).catch(function () { done(false); });
  });
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") shut(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    ask(text);
  });
  setInterval(poll, POLL_MS);
})();
