// Solidarity: what-if inputs, the Netherlands' position, a chart and the table of all Member States.
"use strict";
const $ = id => document.getElementById(id);
const STATUSES = ["none", "migratory_pressure", "risk_of_migratory_pressure", "significant_migratory_situation"];
let defaults = null;   // the default cycle (shipped inputs), to build the per-state inputs from
let lastRequest = {};

function stateInputs(states) {
  const body = $("sol-inputs").querySelector("tbody");
  body.replaceChildren(...states.map(s => {
    const c = s.member_state;
    const status = el("select", { id: `st-${c}`, "aria-label": `${T("sol.status")}: ${stateName(c)}` }, ...STATUSES.map(v => el("option", { value: v, text: T("status." + v) })));
    status.value = s.status[0] || "none";
    const ben = el("input", { type: "checkbox", id: `ben-${c}`, "aria-label": `${T("sol.benefitting")}: ${stateName(c)}`, checked: s.benefitting || null });
    const rel = el("input", { type: "number", min: "0", step: "1", id: `rel-${c}`, "aria-label": `${T("sol.pledge_relocations")}: ${stateName(c)}` });
    const eur = el("input", { type: "number", min: "0", step: "any", id: `eur-${c}`, "aria-label": `${T("sol.pledge_financial")}: ${stateName(c)}` });
    return el("tr", { class: c === "NL" ? "nl" : null }, el("th", { scope: "row", text: `${stateName(c)} (${c})` }), el("td", {}, status), el("td", {}, ben), el("td", {}, rel), el("td", {}, eur));
  }));
}
function request() {
  const req = { year: Number($("sol-year").value) || 2026 };
  if ($("sol-pool").value) req.pool_relocations = Number($("sol-pool").value);
  if ($("sol-vintage").value) req.vintage = $("sol-vintage").value;
  const pledges = [], classes = [];
  for (const s of defaults.states) {
    const c = s.member_state;
    const rel = $(`rel-${c}`).value, eur = $(`eur-${c}`).value;
    if (rel !== "" || eur !== "") pledges.push({ member_state: c, relocations: Number(rel || 0), financial_eur: Number(eur || 0) });
    const st = $(`st-${c}`).value, ben = $(`ben-${c}`).checked;
    const first = s.status[0] || "none";
    if (st !== first || ben !== s.benefitting) {  // only changed states; the rest keep the shipped decision (merged per state)
      classes.push({ member_state: c, status: st === first ? s.status : [st], benefitting: ben,
                     systemic_shortcomings: s.systemic_shortcomings, deduction: s.deduction_share });
    }
  }
  if (pledges.length) req.pledges = pledges;
  if (classes.length) req.classifications = classes;
  return req;
}
function eurM(x) { return fmt(x / 1e6, 1); }
function render(res) {
  const r = res.result, nl = r.states.find(s => s.member_state === "NL");
  $("nl-fair").textContent = `${fmt(nl.fair_share, 3)} %`;
  $("nl-obligation").textContent = `EUR ${fmt(nl.obligation_eur)}`;
  $("nl-contribution").textContent = `EUR ${fmt(nl.pledge_value_eur)} (${nl.pledge_source === "given" ? T("sol.pledge_file") : T("sol.pledge_assumed")})`;
  $("pool-text").textContent = T("sol.pool_text").replace("{rel}", fmt(r.pool.relocations)).replace("{eur}", fmt(r.pool.financial_eur)).replace("{ratio}", fmt(r.pool.eur_per_relocation));
  const body = $("sol-table").querySelector("tbody");
  body.replaceChildren(...r.states.map(s => el("tr", { class: s.member_state === "NL" ? "nl" : null, "aria-label": s.member_state === "NL" ? `${stateName(s.member_state)} (${T("sol.highlight")})` : null },
    el("th", { scope: "row", text: `${stateName(s.member_state)} (${s.member_state})` }),
    el("td", { text: s.status.map(x => T("status." + x)).join(", ") + (s.benefitting ? ` · ${T("sol.benefitting")}` : "") }),
    el("td", { class: "num", text: fmt(s.fair_share, 3) }), el("td", { class: "num", text: fmt(s.reference_relocations, 1) }),
    el("td", { class: "num", text: fmt(s.obligation_eur) }), el("td", { class: "num", text: fmt(s.pledge_value_eur) }),
    el("td", { class: "num", text: fmt(s.shortfall_eur) }), el("td", { text: s.pledge_source === "given" ? T("sol.pledge_file") : T("sol.pledge_assumed") }))));
  $("sol-assumptions").querySelector("ul").replaceChildren(...r.assumptions.map(a => el("li", { lang: "en", text: a })));
  chart(r);
  showRepro(cli(res.manifest.inputs), python(res.manifest.inputs), res.manifest, files(res.manifest.inputs));
}
function chart(r) {
  const states = [...r.states].sort((a, b) => b.obligation_eur - a.obligation_eur);
  const x = states.map(s => s.member_state);
  const line = states.map(s => s.member_state === "NL" ? 3 : 0);
  Plotly.react("sol-chart", [
    { type: "bar", name: T("sol.chart_fair"), x, y: states.map(s => s.obligation_eur / 1e6), marker: { color: states.map(s => s.member_state === "NL" ? "#e8590c" : "#9db4d0"), line: { width: line, color: "#000" } } },
    { type: "bar", name: T("sol.chart_contribution"), x, y: states.map(s => s.pledge_value_eur / 1e6), marker: { color: states.map(s => s.member_state === "NL" ? "#8f3400" : "#2b5c8a"), line: { width: line, color: "#000" } } },
  ], { barmode: "group", separators: PLOT_SEPARATORS, margin: { t: 20, r: 10, b: 90 }, legend: { orientation: "h", y: -0.2 }, yaxis: { title: T("sol.eur_million"), rangemode: "tozero" },
       annotations: [{ x: "NL", y: states.find(s => s.member_state === "NL").obligation_eur / 1e6, text: T("sol.nl"), showarrow: true, arrowhead: 2, ay: -40 }] }, PLOT_CONFIG);
}
function cli(inp) {
  const parts = ["asylum solidarity"];
  if (inp.year !== 2026) parts.push(`--year ${inp.year}`);
  if (inp.pool_relocations) parts.push(`--pool-relocations ${inp.pool_relocations}`);
  if (inp.vintage) parts.push(`--vintage ${inp.vintage}`);
  if (inp.pledges) parts.push("--pledges pledges.json");
  if (inp.classifications) parts.push("--classification classification.json");
  return parts.join(" ") + " --format json";
}
function python(inp) {
  const args = [String(inp.year)];
  if (inp.pool_relocations) args.push(`pool_relocations=${inp.pool_relocations}`);
  if (inp.vintage) args.push(`vintage="${inp.vintage}"`);
  if (inp.pledges) args.push('pledges=load_pledges("pledges.json")');
  if (inp.classifications) args.push('classifications=load_classifications("classification.json")');
  return `from asylumengine.solidarity import compute_cycle, load_classifications, load_pledges\nresult = compute_cycle(${args.join(", ")})\nresult.state("NL").obligation_eur`;
}
function files(inp) {
  const out = {};
  if (inp.pledges) out["pledges.json"] = JSON.stringify(inp.pledges, null, 2);
  if (inp.classifications) out["classification.json"] = JSON.stringify(inp.classifications, null, 2);
  return out;
}
async function compute(ev) {
  if (ev) ev.preventDefault();
  showErrors(null);
  try { lastRequest = request(); render(await postJSON("/api/solidarity", lastRequest)); } catch (e) { showErrors(e); }
}
function reports() {
  for (const b of document.querySelectorAll("#sol-reports [data-report]")) {
    b.addEventListener("click", () => download(`/api/reports/solidarity?lang=${LANG}&format=${b.dataset.report}`,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(lastRequest) },
      `solidarity-${lastRequest.year || 2026}-${LANG}.${b.dataset.report}`, document.querySelector("#sol-reports .report-status")));
  }
  document.querySelector("#sol-reports [data-export]").addEventListener("click", () => download("/api/solidarity?format=csv",
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(lastRequest) },
    `solidarity-${lastRequest.year || 2026}.csv`, document.querySelector("#sol-reports .report-status")));
}
(async function init() {
  const vintages = await api("/api/solidarity/vintages");
  $("sol-vintage").replaceChildren(el("option", { value: "", text: "—" }), ...vintages.map(v => el("option", { value: v.name, lang: "en", text: `${v.name}: ${v.label}` })));
  const first = await postJSON("/api/solidarity", {});
  defaults = first.result;
  stateInputs(defaults.states);
  lastRequest = {};
  render(first);
  $("sol-form").addEventListener("submit", compute);
  $("sol-reset").addEventListener("click", () => { $("sol-form").reset(); stateInputs(defaults.states); compute(); });
  reports();
})();
