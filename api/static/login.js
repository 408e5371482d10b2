// Console login: a script file, not inline, so that the Content-Security-Policy allows no inline script.
document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("login-error");
  error.textContent = "";
  const response = await fetch("/operator/login", {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({name: event.target.name.value, password: event.target.password.value}),
  });
  if (response.ok) { window.location.href = "/operator"; return; }
  const body = await response.json().catch(() => ({}));
  error.textContent = typeof body.detail === "string" ? body.detail : "Vui lòng nhập tên và mật khẩu.";
});
