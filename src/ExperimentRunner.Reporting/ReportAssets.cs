namespace ExperimentRunner.Reporting;

/// <summary>The page's stylesheet and script, inlined so the report needs nothing but itself.</summary>
internal static class ReportAssets
{
    public const string Css = """
        :root { --fg: #1d1f23; --muted: #5b636e; --line: #d9dde3; --head: #f2f4f7; --accent: #1f5f99; --band: #f6f7f9; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; color: var(--fg); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        .page { max-width: 1200px; margin: 0 auto; padding: 24px clamp(12px, 3vw, 32px) 48px; }
        h1 { font-size: 1.75rem; margin: 0 0 2px; overflow-wrap: anywhere; }
        h2 { font-size: 1.3rem; margin: 36px 0 6px; padding-top: 10px; border-top: 1px solid var(--line); }
        h3 { font-size: 1.05rem; margin: 22px 0 8px; overflow-wrap: anywhere; }
        p { margin: 6px 0 12px; max-width: 80ch; }
        a { color: var(--accent); }
        .muted { color: var(--muted); }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: .88em; }
        .chips { list-style: none; padding: 0; margin: 14px 0 10px; display: flex; flex-wrap: wrap; gap: 8px; }
        .chip { border: 1px solid var(--line); border-radius: 999px; padding: 1px 11px; white-space: nowrap; background: var(--band); }
        .st-completed, .st-early_stopped { background: #edf7ef; border-color: #a9d3b2; }
        .st-diverged { background: #fff4e5; border-color: #f0b56b; }
        .st-failed { background: #fdecea; border-color: #eba39d; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 8px 0 0; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; overflow-wrap: anywhere; }
        nav.toc { margin: 18px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        figure { margin: 0; }
        .plot { border: 1px solid var(--line); border-radius: 6px; padding: 8px 8px 4px; background: #fff; break-inside: avoid; page-break-inside: avoid; }
        .plot figcaption { font-size: .9rem; margin: 0 0 4px; overflow-wrap: anywhere; }
        svg.chart { display: block; width: 100%; height: auto; }
        .grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); }
        .grid.few { grid-template-columns: repeat(auto-fill, minmax(330px, 560px)); }
        .pair { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); }
        .layer-view { break-inside: avoid; page-break-inside: avoid; }
        .key { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px; font-size: .9rem; margin: 0 0 10px; }
        .swatch { display: inline-block; width: 24px; height: 10px; border-radius: 2px; vertical-align: -1px; margin-right: 5px; }
        .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 8px; text-align: left; border-bottom: 1px solid var(--line); white-space: nowrap; vertical-align: top; }
        th { background: var(--head); font-weight: 600; white-space: normal; min-width: 4ch; vertical-align: bottom; }
        td a { color: inherit; text-decoration: underline dotted #9aa1ab; text-underline-offset: 3px; }
        .num { text-align: right; }
        td.wrap { white-space: normal; min-width: 22ch; max-width: 70ch; overflow-wrap: anywhere; }
        td.id { white-space: normal; overflow-wrap: anywhere; min-width: 16ch; max-width: 30ch; }
        table.sortable th { cursor: pointer; user-select: none; }
        table.sortable th::after { content: "\00a0\2195"; color: #9aa1ab; font-weight: 400; }
        table.sortable th[aria-sort=ascending]::after { content: "\00a0\25B2"; color: var(--fg); }
        table.sortable th[aria-sort=descending]::after { content: "\00a0\25BC"; color: var(--fg); }
        th:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
        tbody tr:nth-child(even) td { background: #fafbfc; }
        tbody tr.best td { background: #edf7ef; }
        details > summary { cursor: pointer; margin: 4px 0 10px; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--band); padding: 8px; border-radius: 4px; max-height: 22em; overflow: auto; margin: 6px 0 0; }
        footer { margin-top: 40px; font-size: .85rem; }
        .print-only { display: none; }
        @media (max-width: 640px) {
          .facts { grid-template-columns: 1fr; }
          .facts dt { margin-top: 6px; }
          .pair { grid-template-columns: 1fr; }
        }
        @media print {
          @page { margin: 12mm; }
          body { font-size: 10pt; }
          .page { max-width: none; padding: 0; }
          nav.toc, details > summary::marker { display: none; }
          table.sortable th { cursor: auto; }
          table.sortable th::after { content: none; }
          table.sortable th[aria-sort]::after { content: none; }
          thead { display: table-header-group; }
          tr, figure, .plot, .layer-view { break-inside: avoid; page-break-inside: avoid; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          .grid { grid-template-columns: repeat(3, 1fr); }
          .pair { grid-template-columns: repeat(2, 1fr); }
          .table-wrap { overflow: visible; border: 0; }
          th, td { white-space: normal; overflow-wrap: anywhere; padding: 2px 4px; }
          td.num { white-space: nowrap; overflow-wrap: normal; }
          #trials details, #trials h2 { display: none; }
          .print-only { display: block; }
          td.wrap { min-width: 0; }
          a { color: inherit; text-decoration: none; }
          pre { max-height: none; overflow: visible; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """;

    /// <summary>Click (or Enter on) a header to sort by that column; numbers as numbers, empty cells last.</summary>
    public const string Script = """
        (function () {
          'use strict';
          function valueOf(cell) {
            var v = cell.getAttribute('data-v');
            return v !== null ? v : cell.textContent.trim();
          }
          function compare(a, b) {
            var x = Number(a), y = Number(b);
            if (!isNaN(x) && !isNaN(y)) return x - y;
            return a.localeCompare(b, undefined, { numeric: true });
          }
          function sortBy(table, index, th) {
            var direction = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
            th.setAttribute('aria-sort', direction);
            var sign = direction === 'ascending' ? 1 : -1;
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (r1, r2) {
              var a = valueOf(r1.cells[index]), b = valueOf(r2.cells[index]);
              if (a === '' || b === '') return (a === '' ? 1 : 0) - (b === '' ? 1 : 0) || r1.dataset.i - r2.dataset.i;
              return sign * compare(a, b) || r1.dataset.i - r2.dataset.i;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          }
          document.querySelectorAll('table.sortable').forEach(function (table) {
            Array.prototype.forEach.call(table.tBodies[0].rows, function (r, i) { r.dataset.i = i; });
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
              th.tabIndex = 0;
              th.title = 'sort by ' + th.textContent;
              th.addEventListener('click', function () { sortBy(table, index, th); });
              th.addEventListener('keydown', function (e) {
                if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, index, th); }
              });
            });
            table.setAttribute('data-sortable', 'ready');
          });
          window.addEventListener('beforeprint', function () {
            document.querySelectorAll('details').forEach(function (d) { d.open = true; });
          });
        })();
        """;
}
