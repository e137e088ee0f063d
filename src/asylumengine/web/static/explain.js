"use strict";
(async function () {
  const article = new URLSearchParams(location.search).get("article") || "";
  document.getElementById("article-h").textContent = `${T("explain.title")}: ${article}`;
  const box = document.getElementById("explain");
  try {
    const r = await api(`/api/explain?article=${encodeURIComponent(article)}`);
    if (r.rules.length) {
      box.append(el("h2", { text: T("explain.rules") }));
      for (const rule of r.rules) {
        box.append(el("section", { class: "rule" }, el("h3", {}, el("code", { text: rule.citation })),
          el("p", {}, el("strong", { text: T("explain.summary") + ": " }), el("span", { lang: "en", text: rule.summary })),
          rule.params.length ? el("p", {}, el("strong", { text: T("explain.params") + ": " }), el("code", { text: rule.params.join(", ") })) : null,
          rule.text ? el("details", { open: true }, el("summary", { text: rule.text.heading }), el("pre", { class: "verbatim", lang: "en", text: rule.text.text })) : null));
      }
    } else box.append(el("p", { text: T("explain.not_encoded") }));
    if (r.text && !r.rules.some(x => x.text && x.text.heading === r.text.heading)) {
      box.append(el("h2", { text: T("explain.text") }), el("h3", { lang: "en", text: r.text.heading }), el("pre", { class: "verbatim", lang: "en", text: r.text.text }));
    }
    box.append(el("p", { class: "hint", text: T("explain.verbatim_lang") }));
  } catch (e) {
    box.append(el("p", { text: T("explain.not_found") }));
    if (e.body && e.body.closest && e.body.closest.length) {
      box.append(el("h2", { text: T("explain.closest") }), el("ul", {}, ...e.body.closest.map(c => el("li", {}, explainLink(c)))));
    }
  }
})();
