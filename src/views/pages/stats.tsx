import { number, say } from "../../core/i18n";
import { formatDate } from "../format";
import { STAT_PERIODS } from "../../core/stats";
import type { BlogStats, Ranked } from "../../data/stats";
import { useWords } from "../admin-words";
import { AdminSection } from "../components/admin-section";
import { AdminTable } from "../components/admin-table";

const W = 720;
const H = 180;
const TOP = 12;

/** Views per day as bars, drawn on the server (no script); the same numbers follow as a table. */
function Chart({ stats, label }: { stats: BlogStats; label: string }) {
  const max = Math.max(1, ...stats.days.map((d) => d.views));
  const step = W / stats.days.length;
  const bar = Math.max(1, step * 0.8);
  return (
    <svg class="stats-chart" viewBox={`0 0 ${W} ${H + 4}`} role="img" aria-label={label} preserveAspectRatio="none">
      <line x1="0" y1={H + 0.5} x2={W} y2={H + 0.5} class="axis" />
      {stats.days.map((d, i) => {
        const h = Math.round((d.views / max) * (H - TOP));
        return (
          <rect x={(i * step + (step - bar) / 2).toFixed(1)} y={H - h} width={bar.toFixed(1)} height={h}>
            <title>{`${d.date}: ${d.views}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

function RankedTable({ title, column, rows, name }: { title: string; column: string; rows: Ranked[]; name: (key: string) => string }) {
  const words = useWords();
  if (!rows.length) return null;
  return (
    <>
      <h2>{title}</h2>
      <AdminTable columns={[column, words.stats.views]}>
        {rows.map((r) => (
          <tr>
            <td>{name(r.key)}</td>
            <td>{number(words, r.views)}</td>
          </tr>
        ))}
      </AdminTable>
    </>
  );
}

export interface StatsPageProps {
  stats: BlogStats | null;
  days: number;
  timeZone: string;
  /** Post titles by path, for the most read. */
  titles: Map<string, string>;
}

/** `/admin/stats`: views per day for 7, 30 or 90 days, and where they came from. */
export function StatsPage({ stats, days, timeZone, titles }: StatsPageProps) {
  const words = useWords();
  const w = words.stats;
  const date = (day: string) => formatDate(`${day}T12:00:00Z`, "UTC", words.locale);
  const country = (code: string) => {
    if (!/^[A-Z]{2}$/.test(code) || code === "XX" || code === "T1") return w.unknown;
    try {
      return new Intl.DisplayNames([words.locale], { type: "region" }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const referrer = (key: string) => {
    const [kind, host] = key.split(" ") as [keyof typeof w.refKinds, string | undefined];
    const label = w.refKinds[kind] ?? kind;
    return host && host !== "?" ? `${host} (${label})` : label;
  };
  return (
    <AdminSection title={w.title}>
      <nav class="admin-actions" aria-label={w.title}>
        {STAT_PERIODS.map((n) => (
          <a
            class={n === days ? "button" : "button secondary"}
            href={`/admin/stats?days=${n}`}
            aria-current={n === days ? "page" : undefined}
          >
            {say(w.lastDays, { n: number(words, n) })}
          </a>
        ))}
      </nav>
      {!stats ? (
        <p class="notice">{w.off}</p>
      ) : (
        <>
          <dl class="stats-totals">
            <div>
              <dt>{w.views}</dt>
              <dd>{number(words, stats.totals.views)}</dd>
            </div>
            <div>
              <dt>{w.visitors}</dt>
              <dd>{number(words, stats.totals.visitors)}</dd>
            </div>
            <div>
              <dt>{w.feedFetches}</dt>
              <dd>{number(words, stats.totals.feedFetches)}</dd>
            </div>
          </dl>
          <figure class="stats-figure">
            <Chart stats={stats} label={say(w.chart, { from: date(stats.from), to: date(stats.to) })} />
            <figcaption>{say(w.chart, { from: date(stats.from), to: date(stats.to) })}</figcaption>
          </figure>
          {/* The chart's numbers for screen readers: a plain table in a box that hides it (a scrolling box that is not seen could not be focused). */}
          <div class="visually-hidden">
            <table>
              <caption>{say(w.chart, { from: date(stats.from), to: date(stats.to) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.date}</th>
                  <th scope="col">{w.views}</th>
                  <th scope="col">{w.visitors}</th>
                </tr>
              </thead>
              <tbody>
                {stats.days.map((d) => (
                  <tr>
                    <td>{date(d.date)}</td>
                    <td>{number(words, d.views)}</td>
                    <td>{number(words, d.visitors)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {stats.totals.views === 0 ? <p class="notice">{w.none}</p> : null}
          <RankedTable title={w.pages} column={w.page} rows={stats.pages} name={(path) => titles.get(path) ?? path} />
          <RankedTable title={w.referrers} column={w.source} rows={stats.referrers} name={referrer} />
          <RankedTable title={w.countries} column={w.country} rows={stats.countries} name={country} />
          <RankedTable
            title={w.devices}
            column={w.device}
            rows={stats.devices}
            name={(d) => w.deviceNames[d as keyof typeof w.deviceNames] ?? d}
          />
        </>
      )}
      <p class="hint">{w.privacy}</p>
      <p class="hint">{timeZone}</p>
    </AdminSection>
  );
}
