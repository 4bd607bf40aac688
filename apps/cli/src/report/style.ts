// The page's only style: system fonts, colours as variables for light, dark and print.

// Charts are printed one a line: two to a line of A4 paper drew their words 6 px high.
// Paper is white whatever the screen's mode: a page printed from a dark screen had pale red and green words
// and bars on white (contrast 1.8:1), as only the background and text colours were set back for print.
const LIGHT = `--bg:#fff;--fg:#1b1f24;--muted:#5b6470;--line:#d6dbe1;--card:#f4f6f8;--bad:#b42318;--good:#067647;
--s0:#2f6fdb;--s1:#e0803a;--s2:#2aa876;--s3:#b548c6;--s4:#d64550;--s5:#8a8f2a;--s6:#3ab0c9;--s7:#7d6b5d`;

export const STYLE = `
:root{${LIGHT}}
@media (prefers-color-scheme:dark){:root{--bg:#14171b;--fg:#e6e9ed;--muted:#9aa4b0;--line:#333a42;--card:#1e2329;--bad:#ff8a80;--good:#6fd39b;
--s0:#6b9eff;--s1:#f2a65a;--s2:#4fd19b;--s3:#d68be6;--s4:#ff7a85;--s5:#c6cc55;--s6:#6fd6ec;--s7:#b8a596}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px}h1{margin:0 0 4px}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:36px}
.sub,.note{color:var(--muted)}.note{font-size:13px}.privacy{background:var(--card);border-left:4px solid var(--good);padding:8px 12px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px;margin-top:16px}
.card{background:var(--card);border-radius:8px;padding:10px 12px}.card .v{font-size:22px;font-weight:600}.card .l{color:var(--muted);font-size:13px}.card .bad{color:var(--bad)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(460px,100%),1fr));gap:18px}
figure{margin:0;background:var(--card);border-radius:8px;padding:10px 12px;break-inside:avoid}figcaption{font-weight:600;margin-bottom:6px}
svg{display:block;height:auto}svg text{fill:var(--fg);font-size:12px}svg text.small{font-size:10px;fill:var(--muted)}
.axis{stroke:var(--line)}${[0, 1, 2, 3, 4, 5, 6, 7].map((k) => `.s${k}{fill:var(--s${k})}`).join('')}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll,.plot{max-width:100%;overflow-x:auto}.scroll:focus-visible,.plot:focus-visible{outline:2px solid var(--s0);outline-offset:2px}
th,td{overflow-wrap:break-word}th[scope=row]{overflow-wrap:anywhere;min-width:min(25ch,40vw)}th[scope=row].n{min-width:0}caption{text-align:left;color:var(--muted);padding-bottom:4px}
details summary{cursor:pointer;color:var(--muted);font-size:13px}
.findings{padding-left:18px}.findings li{margin:4px 0}.tag{font-size:11px;text-transform:uppercase;border-radius:4px;padding:1px 5px;border:1px solid}
.problem .tag{color:var(--bad)}.notice .tag{color:var(--muted)}.ok{color:var(--good)}code{font-size:12px}
@media print{:root{${LIGHT};--fg:#000;--muted:#444;--card:#fff}main{max-width:none;padding:0}.scroll,.plot{overflow:visible}td:not(.n){overflow-wrap:anywhere}details{display:none}figure{border:1px solid #ccc}.grid{grid-template-columns:1fr}}
`;
