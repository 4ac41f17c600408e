"""The review page: one HTML document with its style and script inline (nothing is fetched but our API)."""

from __future__ import annotations

from arandu.adapters.report.record_view import RECORD_CSS
from arandu.adapters.report.report_style import STYLE

_CSS = """
body { background:#eef1f5; } .layout { display:grid; grid-template-columns:300px 1fr; min-height:100vh; }
aside { background:#fff; border-right:1px solid var(--line); padding:14px; overflow:auto; max-height:100vh;
  position:sticky; top:0; }
aside ol { list-style:none; padding:0; margin:8px 0; } aside li { padding:4px 8px; border-radius:5px; cursor:pointer;
  font:12.5px ui-monospace,Menlo,monospace; display:flex; justify-content:space-between; gap:6px; }
aside li.current { background:#dbeafe; } aside li .lab { font-weight:700; } aside li.done .lab { color:var(--pass); }
aside li .p { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.progress { height:8px; background:var(--line); border-radius:4px; overflow:hidden; margin:6px 0 4px; }
.progress div { height:100%; background:var(--pass); }
section.main { padding:18px 28px 60px; max-width:1150px; }
.labels button { font:600 14px system-ui; padding:8px 14px; margin:0 8px 8px 0; border-radius:6px;
  border:1px solid #94a3b8; background:#fff; cursor:pointer; } .labels button.chosen { background:#1e3a8a; color:#fff; }
.labels kbd, .keys kbd { font:11px ui-monospace,monospace; border:1px solid #94a3b8; border-radius:3px; padding:0 4px;
  margin-left:6px; background:#f8fafc; color:#0f172a; }
.klass { font:700 12px system-ui; text-transform:uppercase; padding:2px 8px; border-radius:4px; }
.klass.rejected { background:#ffedd5; color:#9a3412; } .klass.admitted { background:#ccfbf1; color:#115e59; }
#status { color:var(--pass); font-weight:600; margin-left:8px; } #status.error { color:var(--fail); }
table.score td, table.score th { font-size:12.5px; padding:4px 6px; } .keys { font-size:12.5px; color:var(--muted); }
.audio { margin:10px 0; display:flex; align-items:center; gap:10px; } .rec tr[data-start] td { cursor:pointer; }
"""

_SCRIPT = r"""
const KEYS = {t: 0, f: 1, b: 2, '1': 0, '2': 1, '3': 2};
let state = null, current = 0, view = null;
const $ = (s) => document.querySelector(s);
const pct = (x) => (100 * x).toFixed(1) + '%';
function esc(s) {
  const d = document.createElement('div'); d.textContent = s == null ? '' : String(s); return d.innerHTML;
}
function labelsOf(klass) { return klass === 'admitted' ? ['tn', 'fn', 'borderline'] : ['tp', 'fp', 'borderline']; }
async function loadState() { state = await (await fetch('/api/state')).json(); renderSide(); renderScore(); }
function renderSide() {
  const p = state.progress;
  $('#progress-text').textContent = `${p.labelled} of ${p.total} labelled`;
  $('#progress-bar').style.width = (p.total ? 100 * p.labelled / p.total : 0) + '%';
  $('#rows').innerHTML = state.rows.map((r) =>
    `<li data-index="${r.index}" class="${r.index === current ? 'current' : ''} ${r.label ? 'done' : ''}">` +
    `<span class="p" title="${esc(r.path)}">${r.index + 1}. ${esc(r.path.split('/').pop())}</span>` +
    `<span class="lab">${esc(r.label || '·')}</span></li>`).join('');
}
function rate(e) {
  if (!e) return '<span class="muted">no labelled rows</span>';
  let s = `${e.errors}/${e.labelled} = ${pct(e.rate)} [${pct(e.interval[0])}, ${pct(e.interval[1])}]`;
  if (e.rule_of_three_upper != null) s += ` (rule of three: ≤ ${pct(e.rule_of_three_upper)})`;
  if (e.projected) s += ` → ~${Math.round(e.projected[0]).toLocaleString()} of ${e.population.toLocaleString()}`;
  return s;
}
function renderScore() {
  const box = $('#score');
  if (state.problem) { box.innerHTML = `<p class="error">${esc(state.problem)}</p>`; return; }
  const s = state.score;
  box.innerHTML = '<table class="score"><tr><th></th><th>lenient</th><th>conservative</th></tr>' +
    `<tr id="fp-rate"><td>false positives among rejections</td><td>${rate(s.false_positive.lenient)}</td>` +
    `<td>${rate(s.false_positive.conservative)}</td></tr>` +
    `<tr id="fn-rate"><td>false negatives among admissions</td><td>${rate(s.false_negative.lenient)}</td>` +
    `<td>${rate(s.false_negative.conservative)}</td></tr></table>` +
    '<p class="muted">Exact Clopper-Pearson 95% intervals; lenient counts borderline as correct, ' +
    'conservative as an error (as <code>arandu audit score</code>).</p>';
}
async function show(index) {
  if (!state || index < 0 || index >= state.rows.length) return;
  current = index;
  view = await (await fetch('/api/record/' + index)).json();
  renderSide();
  const labels = labelsOf(view.klass);
  const keys = ['t', 'f', 'b'];
  $('#record-head').innerHTML = `<span class="klass ${esc(view.klass)}">${esc(view.klass)}</span> ` +
    `<code id="record-path">${esc(view.path)}</code> ` +
    `<span class="muted">row ${index + 1} of ${state.rows.length}</span>`;
  $('#label-buttons').innerHTML = labels.map((l, i) =>
    `<button data-label="${l}" class="${view.label === l ? 'chosen' : ''}">${l}<kbd>${keys[i]}</kbd></button>`
  ).join('') +
    `<button data-label="">clear<kbd>x</kbd></button>`;
  const audio = $('#audio');
  if (view.audio_url) {
    audio.innerHTML = `<audio id="player" controls preload="metadata" src="${view.audio_url}"></audio>` +
      (view.evidence_start == null ? '' :
        `<button id="jump">▶ evidence at ${view.evidence_start.toFixed(1)} s<kbd>space</kbd></button>`) +
      `<span class="muted">${esc(view.audio_name)}</span>`;
    const jump = $('#jump'); if (jump) jump.onclick = playEvidence;
  } else {
    audio.innerHTML = '<span class="muted">No audio file found for this record (see docs/review.md).</span>';
  }
  $('#record').innerHTML = view.found ? view.html :
    `<p class="error">The record could not be read (${esc(view.reason)}); the sheet shows:</p>` +
    `<p><strong>${esc(view.sheet.failing_criteria)}</strong></p><p>${esc(view.sheet.evidence)}</p>` +
    `<div class="text">${esc(view.sheet.excerpt || view.sheet.text_head)}</div>`;
  document.querySelectorAll('#record tr[data-start]').forEach(
    (tr) => tr.onclick = () => seek(parseFloat(tr.dataset.start)));
}
function seek(t) { const p = $('#player'); if (!p || isNaN(t)) return; p.currentTime = t; p.play().catch(() => {}); }
function playEvidence() { if (view && view.evidence_start != null) seek(view.evidence_start); }
async function label(value) {
  const res = await fetch('/api/label/' + current, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({label: value})});
  const body = await res.json();
  const status = $('#status');
  if (!res.ok) { status.textContent = body.error; status.className = 'error'; return; }
  state = body; status.textContent = value ? `saved “${value}”` : 'label cleared'; status.className = '';
  renderScore();
  if (!value) { show(current); return; }
  const next = state.rows.find((r) => r.index > current && !r.label) || state.rows.find((r) => !r.label);
  show(next ? next.index : current);
}
document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || !view || e.target.tagName === 'INPUT') return;
  const k = e.key.toLowerCase();
  if (k in KEYS) { label(labelsOf(view.klass)[KEYS[k]]); }
  else if (k === 'x') { label(''); }
  else if (k === 'j' || k === 'arrowright') { show(current + 1); }
  else if (k === 'k' || k === 'arrowleft') { show(current - 1); }
  else if (k === 'u') { const n = state.rows.find((r) => !r.label); if (n) show(n.index); }
  else if (k === ' ') { e.preventDefault(); playEvidence(); }
  else return;
  e.preventDefault();
});
document.addEventListener('click', (e) => {
  const b = e.target.closest('#label-buttons button'); if (b) { label(b.dataset.label); return; }
  const li = e.target.closest('#rows li'); if (li) show(parseInt(li.dataset.index, 10));
});
loadState().then(() => { const n = state.rows.find((r) => !r.label); show(n ? n.index : 0); });
"""

PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>arandu review</title>'
    f'<style>{STYLE}{RECORD_CSS}{_CSS}</style></head><body><div class="layout">'
    '<aside><strong>arandu review</strong><div class="progress"><div id="progress-bar"></div></div>'
    '<div id="progress-text" class="muted"></div><ol id="rows"></ol>'
    '<p class="keys"><kbd>t</kbd> verdict right (tp / tn) · <kbd>f</kbd> wrong (fp / fn) · <kbd>b</kbd> borderline · '
    "<kbd>x</kbd> clear · <kbd>j</kbd>/<kbd>k</kbd> next / previous · <kbd>u</kbd> first unlabelled · "
    "<kbd>space</kbd> play the evidence</p></aside>"
    '<section class="main"><div id="score"></div><h2 id="record-head"></h2>'
    '<div class="labels"><span id="label-buttons"></span><span id="status"></span></div>'
    '<div class="audio" id="audio"></div><div id="record" class="rec"></div></section></div>'
    f"<script>{_SCRIPT}</script></body></html>\n"
)
