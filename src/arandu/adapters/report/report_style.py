"""The report page's stylesheet (inline in the page: nothing is fetched)."""

from __future__ import annotations

from arandu.adapters.report.svg_chart import FAIL, MIXED, PASS

_ROOT = f":root {{ --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --fail:{FAIL}; --pass:{PASS}; --mixed:{MIXED}; }}"
STYLE = (
    _ROOT
    + """
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink);
       background:#f5f7fa; }
main { max-width:1180px; margin:0 auto; padding:32px 28px 48px; }
h1 { font-size:26px; margin:0 0 4px; } h2 { font-size:19px; margin:36px 0 12px; }
.location { color:var(--muted); font-family:ui-monospace,Menlo,Consolas,monospace; margin:0; word-break:break-all; }
.cards { display:grid; grid-template-columns:repeat(5,1fr); gap:12px; margin-top:22px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
.card .value { font-size:26px; font-weight:650; } .card .label { color:var(--muted); font-size:13px; }
.card.valid .value { color:var(--pass); } .card.invalid .value { color:var(--fail); }
.split { display:grid; grid-template-columns:1fr 1fr; gap:20px; }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:8px; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { white-space:nowrap; font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted);
     background:#fafbfc; }
td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
a { color:#1d4ed8; } a.path { text-decoration:none; } a.path:hover { text-decoration:underline; }
.bar { height:8px; background:var(--fail); border-radius:4px; min-width:2px; }
.charts { display:grid; grid-template-columns:repeat(auto-fill,minmax(480px,1fr)); gap:16px; }
figure { margin:0; background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 8px 6px; }
figcaption { padding:0 8px 6px; } figcaption .name { font-weight:650; }
figcaption .meta { color:var(--muted); font-size:13px; display:block; }
svg text { font:11px system-ui,sans-serif; fill:var(--muted); }
svg text.count { font-size:10px; fill:var(--ink); paint-order:stroke; stroke:#fff; stroke-width:3px; }
svg text.count.fail { fill:var(--fail); font-weight:700; }
svg .grid { stroke:var(--line); } svg .baseline, svg .tick { stroke:#9aa5b1; }
svg .threshold { stroke:var(--ink); stroke-width:1.5; stroke-dasharray:5 3; }
svg text.threshold-label { fill:var(--ink); font-weight:600; }
svg a.bin-link rect:hover { opacity:.75; } svg a.bin-link { cursor:pointer; }
.bin { display:none; margin:6px 8px; padding:6px 10px; border-left:3px solid var(--mixed); background:#f8fafc; }
.bin:target { display:block; } .bin ul { margin:4px 0; padding-left:20px; }
details.failing-list { margin:6px 8px 8px; } details.failing-list ol { margin:4px 0; padding-left:24px; }
.legend span { display:inline-block; width:10px; height:10px; border-radius:2px; margin:0 4px 0 14px; }
code, .path { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12.5px; }
.path { overflow-wrap:anywhere; } td code { white-space:nowrap; }
table.worst td { font-size:13.5px; } table.worst td.failing { white-space:nowrap; }
table.worst td.evidence { min-width:170px; } table.worst td:first-child { min-width:210px; }
svg.criterion-chart { width:100%; height:auto; display:block; }
.tag { display:inline-block; background:#fff4e5; color:#8a4b08; border-radius:4px; padding:0 6px; margin:1px 2px;
       font:12px ui-monospace,Menlo,monospace; }
.muted { color:var(--muted); } footer { margin-top:40px; color:var(--muted); font-size:13px; }
section.record { display:none; }
section.record:target { display:block; position:fixed; inset:0; z-index:10; overflow:auto;
  background:rgba(15,23,42,.45); padding:28px 16px; }
section.record .sheet { max-width:1100px; margin:0 auto; background:#f5f7fa; border-radius:10px; padding:20px 26px;
  box-shadow:0 10px 40px rgba(0,0,0,.3); }
section.record h2 { margin:0; font-size:17px; } section.record .close { float:right; font-weight:600; }
@media (max-width:900px) { .cards { grid-template-columns:repeat(2,1fr); } .split { grid-template-columns:1fr; } }
"""
)
