// Scenarios: pick and edit, run as a job with a progress bar, small multiples with bands, differences.
"use strict";
const $ = id => document.getElementById(id);
const COLORS = ["#1f4e9c", "#c0392b", "#1e8449", "#7d3c98", "#b9770e", "#5d6d7e"];
let baseParams = [];
let scenarios = [];

function rgba(hex, a) { return `rgba(${parseInt(hex.slice(1, 3), 16)},${parseInt(hex.slice(3, 5), 16)},${parseInt(hex.slice(5, 7), 16)},${a})`; }

function paramInput(p) {
  const id = `p-${p.key.replaceAll(".", "-")}`;
  let input;
  if (p.kind === "bool") { input = el("input", { type: "checkbox", id, checked: p.value || null }); }
  else if (p.kind === "yearly") { input = el("input", { type: "text", id, disabled: true, value: JSON.stringify(p.value) }); }
  else { input = el("input", { type: "number", step: "any", id, value: p.value, min: p.kind === "factor" ? null : "0", max: p.kind === "share" ? "1" : null }); }
  input.dataset.key = p.key;
  return el("tr", { "data-key": p.key }, el("th", { scope: "row" }, el("label", { for: id }, el("code", { text: p.key }))), el("td", {}, input), el("td", { class: "source", lang: "en", text: p.source }));
}
async function loadBase() {
  const s = await api(`/api/scenarios/${encodeURIComponent($("sc-base").value)}`);
  baseParams = s.parameters;
  $("sc-description").textContent = s.description;
  $("sc-params").querySelector("tbody").replaceChildren(...baseParams.map(paramInput));
  for (const c of $("sc-variants").querySelectorAll("input")) c.disabled = c.value === $("sc-base").value;
}
function overrides() {
  const out = {};
  for (const p of baseParams) {
    if (p.kind === "yearly") continue;
    const input = document.querySelector(`#sc-params input[data-key="${p.key}"]`);
    const v = p.kind === "bool" ? input.checked : (input.value === "" ? p.value : Number(input.value));
    if (v !== p.value) out[p.key] = v;
  }
  return out;
}
function request() {
  const variants = [...$("sc-variants").querySelectorAll("input:checked")].map(c => c.value).filter(v => v !== $("sc-base").value);
  return { scenarios: [{ id: $("sc-base").value, overrides: overrides() }, ...variants.map(id => ({ id }))],
           years: Number($("sc-years").value), replications: Number($("sc-reps").value), seed: Number($("sc-seed").value) };
}
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function run(ev) {
  ev.preventDefault();
  showErrors(null);
  $("sc-results").hidden = true;
  $("sc-run").disabled = true;
  try {
    let job = await postJSON("/api/jobs", request());
    while (job.status === "queued" || job.status === "running") {
      $("sc-progress").value = job.progress;
      $("sc-status").textContent = `${T("sc.status." + job.status)} · ${fmt(job.progress * 100)} %`;
      await sleep(250);
      job = await api(`/api/jobs/${job.id}`);
    }
    $("sc-progress").value = job.progress;
    $("sc-status").textContent = T("sc.status." + job.status) + (job.error ? `: ${job.error}` : "");
    if (job.status === "done") await showResults(job);
  } catch (e) { showErrors(e); } finally { $("sc-run").disabled = false; }
}
function layout(title, extra = {}) {
  return Object.assign({ title: { text: title, font: { size: 14 }, x: 0.02, xanchor: "left" }, autosize: true, separators: PLOT_SEPARATORS, height: 300, margin: { t: 40, r: 10, l: 60, b: 40 },
    showlegend: false, hovermode: "x unified", yaxis: { rangemode: "tozero" } }, extra);
}
function legend(names) {
  return el("ul", { class: "legend", "aria-label": T("sc.results") }, ...names.map((n, i) => el("li", {}, el("span", { class: "swatch", style: `background:${COLORS[i % COLORS.length]}` }), el("span", { lang: "en", text: n }))));
}
function scale(name) { return name.startsWith("cost_") ? 1e-6 : 1; }
async function showResults(job) {
  const data = await api(`/api/jobs/${job.id}/chart`);
  const names = data.scenarios.map(s => s.name);
  $("sc-results").hidden = false;  // visible before plotting, so the charts take the width of their cell
  const charts = $("sc-charts"); charts.replaceChildren(legend(names));
  for (const ind of data.indicators) {
    const div = el("div", { class: "chart small" });
    charts.append(div);
    const k = scale(ind), traces = [];
    data.scenarios.forEach((s, i) => {
      const b = s.bands[ind], c = COLORS[i % COLORS.length];
      traces.push({ x: data.months, y: b.p95.map(v => v * k), mode: "lines", line: { width: 0 }, hoverinfo: "skip", name: `${s.name} p95` });
      traces.push({ x: data.months, y: b.p05.map(v => v * k), mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: rgba(c, 0.18), hoverinfo: "skip", name: `${s.name} ${T("sc.band")}` });
      traces.push({ x: data.months, y: b.median.map(v => v * k), mode: "lines", line: { color: c, width: 2, dash: i ? "solid" : "dot" }, name: `${s.name}: ${T("sc.median")}` });
    });
    Plotly.newPlot(div, traces, layout(T("ind." + ind)), PLOT_CONFIG);
  }
  const diffs = $("sc-diff-charts"); diffs.replaceChildren();
  $("sc-no-diff").hidden = data.differences.length > 0;
  if (data.differences.length) {
    diffs.append(legend(["", ...data.differences.map(d => `${d.name} − ${d.against}`)]));
    diffs.querySelector(".legend li").remove();  // colours of the variants start at the second
    for (const ind of data.indicators) {
      const div = el("div", { class: "chart small" });
      diffs.append(div);
      const k = scale(ind);
      const traces = data.differences.map((d, i) => {
        const b = d.indicators[ind];
        return { type: "bar", x: data.years.map(String), y: b.median.map(v => v * k), name: d.name, marker: { color: COLORS[(i + 1) % COLORS.length] },
          error_y: { type: "data", symmetric: false, array: b.p95.map((v, j) => (v - b.median[j]) * k), arrayminus: b.median.map((v, j) => (v - b.p05[j]) * k), color: "#333" } };
      });
      Plotly.newPlot(div, traces, layout(T("ind.yearly." + ind), { barmode: "group", hovermode: "closest", xaxis: { type: "category" }, yaxis: { zeroline: true, zerolinewidth: 2 } }), PLOT_CONFIG);
    }
    diffTable(data);
  } else { $("sc-diff-table").querySelector("thead").replaceChildren(); $("sc-diff-table").querySelector("tbody").replaceChildren(); }
  const result = await api(`/api/jobs/${job.id}/result`);
  const warnings = result.scenarios.flatMap(s => s.warnings.map(w => `${s.name}: ${w}`));
  $("sc-warnings").replaceChildren(...(warnings.length ? [el("h3", { text: T("sc.warnings") }), el("ul", { lang: "en" }, ...warnings.map(w => el("li", { text: w })))] : []));
  $("sc-json").href = `/api/jobs/${job.id}/result`; $("sc-json").setAttribute("download", `scenarios-${job.id}.json`);
  $("sc-csv").href = `/api/jobs/${job.id}/result?format=csv`; $("sc-csv").setAttribute("download", `scenarios-${job.id}.csv`);
  for (const b of document.querySelectorAll("#sc-reports [data-report]")) {
    b.onclick = () => download(`/api/reports/jobs/${job.id}?lang=${LANG}&format=${b.dataset.report}`, {}, `scenarios-${job.id}-${LANG}.${b.dataset.report}`, document.querySelector("#sc-reports .report-status"));
  }
  const files = Object.fromEntries(Object.entries(job.reproduce).filter(([k]) => k !== "cli" && k !== "python"));
  showRepro(job.reproduce.cli, job.reproduce.python, job.manifest, files);
  $("sc-results").hidden = false;
}
function diffTable(data) {
  const head = el("tr", {}, el("th", { scope: "col", text: T("sc.indicator") }), el("th", { scope: "col", text: T("sc.year") }),
    ...data.differences.map(d => el("th", { scope: "col", class: "num", lang: "en", text: `${d.name} − ${d.against}` })));
  $("sc-diff-table").querySelector("thead").replaceChildren(head);
  const rows = [];
  for (const ind of data.indicators) {
    const k = scale(ind), digits = ind.startsWith("cost_") ? 1 : 0;
    data.years.forEach((y, j) => rows.push(el("tr", {}, j ? null : el("th", { scope: "row", rowspan: data.years.length, text: T("ind.yearly." + ind) }), el("td", { text: String(y) }),
      ...data.differences.map(d => { const b = d.indicators[ind]; return el("td", { class: "num diff", text: `${fmt(b.median[j] * k, digits)} [${fmt(b.p05[j] * k, digits)} – ${fmt(b.p95[j] * k, digits)}]` }); }))));
  }
  $("sc-diff-table").querySelector("tbody").replaceChildren(...rows);
}
(async function init() {
  scenarios = await api("/api/scenarios");
  $("sc-base").replaceChildren(...scenarios.map(s => el("option", { value: s.id, lang: "en", text: s.id })));
  $("sc-base").value = scenarios.some(s => s.id === "baseline") ? "baseline" : scenarios[0].id;
  $("sc-variants").replaceChildren(...scenarios.map(s => el("div", { class: "check" },
    el("input", { type: "checkbox", id: `v-${s.id}`, value: s.id }), el("label", { for: `v-${s.id}`, lang: "en", text: s.id }))));
  await loadBase();
  $("sc-base").addEventListener("change", loadBase);
  $("sc-filter").addEventListener("input", () => {
    const q = $("sc-filter").value.toLowerCase();
    for (const tr of $("sc-params").querySelectorAll("tbody tr")) tr.hidden = q && !tr.dataset.key.toLowerCase().includes(q);
  });
  $("sc-form").addEventListener("submit", run);
})();
