// Case route explorer: a form generated from the case JSON Schema, examples, a paste box, the timeline.
"use strict";
let SCHEMA = null;
let caseData = {};
const $ = id => document.getElementById(id);

function deref(s) {
  if (s && s.$ref) return SCHEMA.$defs[s.$ref.split("/").pop()];
  if (s && s.anyOf) { const x = s.anyOf.find(a => a.type !== "null"); return Object.assign({}, deref(x), { nullable: true, default: s.default, description: s.description }); }
  if (s && s.allOf && s.allOf.length === 1) return Object.assign({}, deref(s.allOf[0]), { default: s.default, description: s.description });
  return s;
}
function label(key) { return T("field." + key); }
function fid(path) { return "f-" + path.join("-"); }

function setOrDelete(obj, key, value) { if (value === "" || value === null || value === undefined) delete obj[key]; else obj[key] = value; }

function scalarInput(s, obj, key, path, required) {
  const id = fid(path);
  const common = { id, name: path.join("."), required: required || null, "aria-required": required ? "true" : null };
  let input;
  if (s.enum) {
    input = el("select", common, el("option", { value: "", text: "—" }), ...s.enum.map(v => el("option", { value: v, text: T("value." + v) })));
    input.value = obj[key] ?? "";
    input.addEventListener("change", () => setOrDelete(obj, key, input.value));
  } else if (s.type === "boolean") {
    input = el("input", Object.assign(common, { type: "checkbox" }));
    input.checked = obj[key] ?? s.default ?? false;
    input.addEventListener("change", () => { obj[key] = input.checked; });
    return el("div", { class: "check" }, input, el("label", { for: id, text: label(key) }));
  } else if (s.type === "integer" || s.type === "number") {
    input = el("input", Object.assign(common, { type: "number", step: s.type === "integer" ? "1" : "any", min: s.minimum ?? null, max: s.maximum ?? null }));
    input.value = obj[key] ?? "";
    input.addEventListener("input", () => setOrDelete(obj, key, input.value === "" ? null : Number(input.value)));
  } else {
    input = el("input", Object.assign(common, { type: s.format === "date" ? "date" : "text" }));
    input.value = obj[key] ?? "";
    input.addEventListener("input", () => setOrDelete(obj, key, input.value.trim()));
  }
  return el("div", { class: "field" }, el("label", { for: id, text: label(key) + (required ? " *" : "") }), input);
}

function listOfValues(s, obj, key, path) {
  const items = deref(s.items);
  if (items.enum) {
    const chosen = new Set(obj[key] || []);
    const boxes = items.enum.map(v => {
      const id = fid([...path, v]);
      const cb = el("input", { type: "checkbox", id, checked: chosen.has(v) || null });
      cb.addEventListener("change", () => { cb.checked ? chosen.add(v) : chosen.delete(v); obj[key] = [...chosen]; });
      return el("div", { class: "check" }, cb, el("label", { for: id, text: T("value." + v) }));
    });
    return el("fieldset", { class: "checks" }, el("legend", { text: label(key) }), ...boxes);
  }
  const id = fid(path);
  const input = el("input", { type: "text", id });
  input.value = (obj[key] || []).join(", ");
  input.addEventListener("input", () => { obj[key] = input.value.split(",").map(x => x.trim()).filter(Boolean); });
  return el("div", { class: "field" }, el("label", { for: id, text: label(key) }), input);
}

function listOfObjects(s, obj, key, path) {
  const box = el("fieldset", { class: "list", id: fid(path) }, el("legend", { text: label(key) }));
  const items = obj[key] || [];
  items.forEach((item, i) => {
    const sub = el("fieldset", { class: "item" }, el("legend", { text: `${label(key)} ${i + 1}` }));
    renderObject(deref(s.items), item, [...path, i], sub);
    sub.append(el("button", { type: "button", class: "small", onclick: () => { items.splice(i, 1); obj[key] = items; renderForm(); },
      text: `${T("common.remove")}: ${label(key)} ${i + 1}` }));
    box.append(sub);
  });
  box.append(el("button", { type: "button", class: "small", onclick: () => { obj[key] = [...items, {}]; renderForm(); focusLast(path); },
    text: `${T("common.add")}: ${label(key)}` }));
  return box;
}
function focusLast(path) {
  const list = document.getElementById(fid(path));
  const items = list ? list.querySelectorAll(":scope > fieldset.item") : [];
  if (items.length) { const f = items[items.length - 1].querySelector("input, select"); if (f) f.focus(); }
}

// An optional group (e.g. `screening`, or `application` for a person who has not applied) joins the case
// only once one of its fields is filled in, and leaves it again when emptied: an empty group is not sent.
function optionalGroup(obj, key) {
  return new Proxy({}, {
    set(t, k, v) { t[k] = v; obj[key] = t; return true; },
    deleteProperty(t, k) { delete t[k]; if (!Object.keys(t).length) delete obj[key]; return true; },
  });
}

function renderObject(schema, obj, path, container) {
  const required = new Set(schema.required || []);
  for (const [key, raw] of Object.entries(schema.properties)) {
    const s = deref(raw);
    const p = [...path, key];
    if (s.type === "array") {
      container.append(deref(s.items).properties ? listOfObjects(s, obj, key, p) : listOfValues(s, obj, key, p));
    } else if (s.properties) {
      // a group the case fills in opens; most cases have an application, so its group is open too
      const open = (obj[key] !== undefined && Object.keys(obj[key]).length > 0) || key === "application";
      if (!obj[key] && !s.nullable) obj[key] = {};
      const fs = el("fieldset", { class: "group" }, el("legend", { text: label(key) }));
      renderObject(s, obj[key] || optionalGroup(obj, key), p, fs);
      container.append(path.length === 0 && !required.has(key) ? el("details", { open }, el("summary", { text: label(key) }), fs) : fs);
    } else container.append(scalarInput(s, obj, key, p, required.has(key)));
  }
}
// An optional object left empty in the form (e.g. procedure.recognition_rate) is "not given", not an empty object.
function pruned(obj) {
  if (Array.isArray(obj)) return obj.map(pruned);
  if (!obj || typeof obj !== "object") return obj;
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    const p = pruned(v);
    if (p && typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}
function renderForm() { const box = $("case-fields"); box.replaceChildren(); renderObject(SCHEMA, caseData, [], box); }

function yn(b) { return b ? T("common.yes") : T("common.no"); }
function dd(term, ...value) { return [el("dt", { text: term }), el("dd", {}, ...value)]; }
function procedureText(p) { return yn(p.applies) + (p.mandatory ? ` (${T("common.mandatory")})` : ""); }
function deadline(d) { return d ? el("time", { datetime: d, text: fmtDate(d) }) : "—"; }

// What the route answers for an applicant: who is responsible, the Dublin requests, the procedures.
function applicantSummary(r) {
  return [
    ...dd(T("route.responsible"), el("strong", { id: "responsible-state", text: r.responsible_state }), " — ", explainLink(r.responsibility_citation)),
    ...dd(T("route.examining"), el("strong", { text: r.examining_state })),
    ...dd(T("route.request"), T("request." + r.request)),
    ...dd(T("route.request_deadline"), deadline(r.request_deadline)),
    ...dd(T("route.reply_deadline"), deadline(r.reply_deadline)),
    ...dd(T("route.transfer_deadline"), deadline(r.transfer_deadline)),
    ...dd(T("route.screening_deadline"), deadline(r.screening_deadline)),
    ...dd(T("route.border"), procedureText(r.border_procedure)),
    ...dd(T("route.accelerated"), procedureText(r.accelerated_procedure)),
  ];
}
// A person who has not applied: no state responsible to determine (that is for an application), and
// what does apply: whether and where screened, its time limit, what follows (Screening Regulation Art 18).
function nonApplicantSummary(r) {
  const sc = r.screening, none = T("route.not_applicable_no_application");
  return [
    ...dd(T("route.no_application"), el("strong", { id: "responsible-state", text: T("route.screening_" + (sc.required ? sc.where : "none")) }), " — ", explainLink(sc.citation)),
    ...dd(T("route.responsible"), T("route.responsible_no_application_" + r.regime.responsibility)),
    ...dd(T("route.screening_deadline"), sc.deadline ? deadline(sc.deadline) : T("route.no_screening_deadline")),
    ...dd(T("route.referral"), T("route.referral_" + sc.referral)),
    ...dd(T("route.border"), none),
    ...dd(T("route.accelerated"), none),
  ];
}
function renderRoute(r) {
  const summary = el("dl", { class: "summary", id: "route-summary" },
    ...(r.application_made ? applicantSummary(r) : nonApplicantSummary(r)),
    ...dd(T("route.law"), `${r.regime.responsibility} / ${r.regime.procedure} / ${r.regime.return} (${T("route.computed_on")} ${fmtDate(r.computed_on)})`),
    ...dd(T("route.ends"), r.terminal_states.map(s => T("term." + s)).join(", ")));
  const steps = el("ol", { class: "timeline", id: "timeline", "aria-label": T("route.timeline") }, ...r.steps.map(s => {
    const when = el("p", { class: "when" },
      s.start ? el("span", {}, `${T("route.start")}: `, deadline(s.start)) : null,
      s.deadline ? el("span", { class: "deadline" }, ` ${T("route.deadline")}: `, deadline(s.deadline),
        s.deadline_latest && s.deadline_latest !== s.deadline ? el("span", {}, ` (${T("route.until")} `, deadline(s.deadline_latest), ")") : null) : null);
    const outcome = s.outcome ? el("p", {}, `${T("route.outcome")}: `, el("span", { text: s.outcome })) : null;
    const branches = s.branches.length ? el("p", {}, `${T("route.branches")}: `, el("span", { text: s.branches.join(" | ") })) : null;
    const cites = el("p", { class: "cites" }, `${T("route.basis")}: `, ...s.citations.flatMap((c, i) => i ? ["; ", explainLink(c)] : [explainLink(c)]));
    const open = s.open_points.length ? el("details", {}, el("summary", { text: T("route.open_points") }), el("ul", {}, ...s.open_points.map(p => el("li", { text: p })))) : null;
    return el("li", { class: s.branches.length ? "step branch" : "step" }, el("h3", { text: s.title[LANG] }), when, el("p", { text: s.explanation[LANG] }), outcome, branches, cites, open);
  }));
  $("route-result").replaceChildren(summary, el("h3", { text: T("route.timeline") }), steps, el("p", { class: "hint", text: T("route.engine_text") }));
}

function options() {
  const o = { regime: $("opt-regime").value, return_regime: $("opt-return").value, lang: LANG };
  if ($("opt-on").value) o.on = $("opt-on").value;
  return o;
}
function reproduce(man) {
  const o = options();
  const flags = [o.on ? `--on ${o.on}` : "", o.regime !== "auto" ? `--regime ${o.regime}` : "", o.return_regime !== "return-directive" ? `--return-regime ${o.return_regime}` : ""].filter(Boolean).join(" ");
  const args = [o.on ? `on=datetime.date.fromisoformat("${o.on}")` : "", o.regime !== "auto" ? `regime="${o.regime}"` : "", o.return_regime !== "return-directive" ? `return_regime="${o.return_regime}"` : "", LANG !== "en" ? `lang="${LANG}"` : ""].filter(Boolean);
  showRepro(`asylum route case.json ${flags} --lang ${LANG} --format json`.replace(/\s+/g, " "),
    `${o.on ? "import datetime\n" : ""}from asylumengine.routes import load_case, route\nr = route(load_case("case.json")${args.length ? ", " + args.join(", ") : ""})`,
    man, { "case.json": JSON.stringify(man.inputs.case, null, 2) });
}
async function submit(ev) {
  if (ev) ev.preventDefault();
  showErrors(null);
  try {
    const r = await postJSON(`/api/route?${new URLSearchParams(options())}`, pruned(caseData));
    renderRoute(r.route); reproduce(r.manifest); $("route-reports").hidden = false;
  } catch (e) { showErrors(e); $("route-result").replaceChildren(); }
}
async function loadExample() {
  const ex = await api(`/api/cases/examples/${encodeURIComponent($("example").value)}`);
  caseData = ex.case; $("opt-return").value = ex.return_regime;
  $("paste").value = JSON.stringify(ex.case, null, 2);
  renderForm(); await submit();
}
async function applyPaste() {
  showErrors(null);
  const text = $("paste").value;
  let type = "application/yaml";
  try { JSON.parse(text); type = "application/json"; } catch (_) { /* YAML */ }
  try {
    const r = await api("/api/cases/parse", { method: "POST", headers: { "content-type": type }, body: text });
    caseData = r.case; if (r.return_regime) $("opt-return").value = r.return_regime;
    renderForm(); await submit();
  } catch (e) { showErrors(e); }
}
function reportButtons() {
  for (const b of document.querySelectorAll("#route-reports [data-report]")) {
    b.addEventListener("click", () => {
      const fmtName = b.dataset.report;
      const q = new URLSearchParams(Object.assign(options(), { lang: LANG, format: fmtName }));
      download(`/api/reports/route?${q}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(pruned(caseData)) },
        `route-${caseData.id || "case"}-${LANG}.${fmtName}`, document.querySelector("#route-reports .report-status"));
    });
  }
}
(async function init() {
  SCHEMA = await api("/api/cases/schema");
  const examples = await api("/api/cases/examples");
  $("example").replaceChildren(...examples.map(x => el("option", { value: x.id, lang: "en", text: x.id })));
  renderForm();
  $("load-example").addEventListener("click", loadExample);
  $("paste-apply").addEventListener("click", applyPaste);
  $("case-form").addEventListener("submit", submit);
  reportButtons();
})();
