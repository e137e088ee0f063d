// Shared helpers: UI strings, API calls, numbers per locale, errors, downloads, "reproduce this".
"use strict";
const LANG = document.body.dataset.lang;
const STRINGS = JSON.parse(document.getElementById("i18n").textContent);
const LOCALE = LANG === "nl" ? "nl-NL" : "en-GB";

const REGIONS = new Intl.DisplayNames([LANG], { type: "region" });
function stateName(code) { try { return REGIONS.of(code === "EL" ? "GR" : code); } catch (_) { return code; } }
function T(key) { return key in STRINGS ? STRINGS[key] : key; }
function fmt(x, digits = 0) {
  return Number(x).toLocaleString(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function fmtDate(iso) {
  if (!iso) return "";
  return new Date(iso + "T00:00:00Z").toLocaleDateString(LOCALE, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") e.textContent = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
class ApiError extends Error {
  constructor(status, body) { super(body && body.error ? body.error : `HTTP ${status}`); this.status = status; this.body = body; }
}
async function api(path, options = {}) {
  const res = await fetch(path, options);
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof body === "object" ? body : { error: body });
  return body;
}
function postJSON(path, data) {
  return api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });
}
function showErrors(err) {
  const box = document.getElementById("errors");
  box.replaceChildren();
  if (!err) return;
  const detail = err.body && err.body.detail && err.body.detail.length ? err.body.detail : [{ field: null, message: err.message }];
  box.append(el("h3", { text: T("common.error") }), el("ul", {}, ...detail.map(d => el("li", {}, d.field ? el("code", { text: d.field }) : null, d.field ? ": " : "", d.message))));
  if (err.body && err.body.closest && err.body.closest.length) box.append(el("p", { text: err.body.closest.join(", ") }));
}
function showRepro(cli, python, manifest, files = {}) {
  const box = document.getElementById("repro");
  document.getElementById("repro-cli").textContent = cli;
  document.getElementById("repro-python").textContent = python;
  document.getElementById("repro-manifest").textContent = JSON.stringify(manifest, null, 2);
  const holder = document.getElementById("repro-files");
  holder.replaceChildren(...Object.entries(files).map(([name, text]) =>
    el("div", {}, el("h3", {}, T("repro.file") + " ", el("code", { text: name })), el("pre", {}, el("code", { text: text })))));
  box.hidden = false;
}
async function download(path, options, filename, statusEl) {
  statusEl.textContent = T("common.loading");
  try {
    const res = await fetch(path, options);
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      statusEl.textContent = res.status === 503 ? T("common.report_unavailable") : `${T("common.error")}: ${body.error || res.status}`;
      return;
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: filename });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    statusEl.textContent = filename;
  } catch (e) { statusEl.textContent = `${T("common.error")}: ${e.message}`; }
}
function explainLink(citation) {
  return el("a", { href: `/explain?article=${encodeURIComponent(citation)}&lang=${LANG}`, text: citation });
}
const PLOT_CONFIG = { displaylogo: false, responsive: true, locale: LANG === "nl" ? "nl" : "en" };
const PLOT_SEPARATORS = LANG === "nl" ? ",." : ".,";
// The language switch keeps the page's other parameters (e.g. the article being read).
for (const a of document.querySelectorAll(".langs a")) {
  const url = new URL(location.href);
  url.searchParams.set("lang", a.getAttribute("hreflang"));
  a.href = url.pathname + url.search;
}
